package io.durablestreams.client;

import java.net.URI;

/**
 * The stream was deleted (or expired) and created again since the offset of this read or fork was
 * issued (HTTP 410 of type {@code stream-reset}, stream-incarnations extension): the offset belongs to
 * an earlier incarnation and will never be valid again. Raised instead of silently stalling at a tail
 * that no longer exists, or serving the new stream's bytes as if they continued the old ones.
 *
 * <p>What to do: everything derived from the old stream (checkpoints, projections, caches) describes
 * data that no longer exists. Discard it and read the new incarnation from {@link Offsets#BEGINNING}.
 * Reads of {@linkplain #restartable() restartable} streams do that on their own unless
 * {@link ReadOptions.Builder#onReset(ResetHandler)} vetoes it; this exception is what the veto raises.
 */
public final class StreamResetException extends DurableStreamException {
    private final String oldIncarnation;
    private final String newIncarnation;
    private final boolean restartable;

    StreamResetException(String message, int status, URI url, String oldIncarnation, String newIncarnation,
                         boolean restartable) {
        super(message, status, url, null);
        this.oldIncarnation = oldIncarnation;
        this.newIncarnation = newIncarnation;
        this.restartable = restartable;
    }

    /** The incarnation the rejected offset belongs to (16 digits), or {@code null} if it had none. */
    public String oldIncarnation() {
        return oldIncarnation;
    }

    /** The stream's current incarnation ({@code Stream-Incarnation}), or {@code null} if not sent. */
    public String newIncarnation() {
        return newIncarnation;
    }

    /** Whether the stream was created with {@code Stream-Restartable: true}. */
    public boolean restartable() {
        return restartable;
    }
}
