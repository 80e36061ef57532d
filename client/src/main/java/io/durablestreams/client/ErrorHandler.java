package io.durablestreams.client;

/**
 * The {@code onError} hook: called when a request has failed for good, that is after the
 * {@link RetryPolicy} gave up on a 5xx/429/network failure, or at once for any other error status.
 * It is also called when a live read fails to reconnect (long-poll or SSE).
 *
 * <p>The hook runs on the thread that made the request, with no client lock held. It may block briefly
 * (for example to refresh a token) but must not call back into the same read. Returning
 * {@link ErrorDecision#retry()} or {@link ErrorDecision#retryWith} starts a new round of attempts, so a
 * hook that always retries can loop forever: bound it with {@code attempt}.
 */
@FunctionalInterface
public interface ErrorHandler {
    /** The default hook: always {@link ErrorDecision#stop()}. */
    ErrorHandler STOP = (error, attempt) -> ErrorDecision.stop();

    /**
     * Decides what to do about a failed request.
     *
     * @param error the failure that would be thrown
     * @param attempt how many times this hook was already called for the same operation (0 the first time)
     * @return the decision; {@code null} means stop
     */
    ErrorDecision onError(DurableStreamException error, int attempt);
}
