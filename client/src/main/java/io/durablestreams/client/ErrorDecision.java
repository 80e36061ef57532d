package io.durablestreams.client;

import java.util.Map;

/**
 * What an {@link ErrorHandler} wants done with a failed request: give up, retry as is, or retry with
 * extra (or replaced) headers and query parameters, for example a refreshed {@code Authorization}.
 *
 * <p>Instances are immutable.
 */
public final class ErrorDecision {
    private static final ErrorDecision STOP = new ErrorDecision(false, Map.of(), Map.of());
    private static final ErrorDecision RETRY = new ErrorDecision(true, Map.of(), Map.of());

    private final boolean retry;
    private final Map<String, String> headers;
    private final Map<String, String> params;

    private ErrorDecision(boolean retry, Map<String, String> headers, Map<String, String> params) {
        this.retry = retry;
        this.headers = headers;
        this.params = params;
    }

    /** Report the failure to the caller. */
    public static ErrorDecision stop() {
        return STOP;
    }

    /** Retry the request unchanged, with a fresh retry budget. */
    public static ErrorDecision retry() {
        return RETRY;
    }

    /**
     * Retry the request with these headers and query parameters added, replacing same-named values, for
     * this and every later attempt of the same operation (a live read keeps them across reconnects).
     */
    public static ErrorDecision retryWith(Map<String, String> headers, Map<String, String> params) {
        return new ErrorDecision(true, Map.copyOf(headers), Map.copyOf(params));
    }

    /** Whether the request should be retried. */
    public boolean isRetry() {
        return retry;
    }

    /** Headers to add on retry; empty when none. */
    public Map<String, String> headers() {
        return headers;
    }

    /** Query parameters to add on retry; empty when none. */
    public Map<String, String> params() {
        return params;
    }
}
