package io.durablestreams.client;

/**
 * Decides whether a read of a restartable stream restarts after the stream was deleted and recreated
 * (stream-incarnations extension); set with {@link ReadOptions.Builder#onReset(ResetHandler)}.
 *
 * <p>Called on the thread consuming the read, before the restart request, at most once per reset. It
 * is the place to clear state derived from the old incarnation. It should not block for long: the read
 * waits for it.
 */
@FunctionalInterface
public interface ResetHandler {
    /** Restarts every time. */
    ResetHandler ALWAYS_RESTART = (oldIncarnation, newIncarnation) -> true;

    /**
     * @param oldIncarnation the incarnation the read was following (16 digits), or {@code null}
     * @param newIncarnation the stream's current incarnation, or {@code null} if the server sent none
     * @return {@code true} to restart the read, {@code false} to veto: the read then fails with
     *         {@link StreamResetException}
     */
    boolean onReset(String oldIncarnation, String newIncarnation);
}
