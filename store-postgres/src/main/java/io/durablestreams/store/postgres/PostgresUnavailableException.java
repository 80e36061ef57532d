package io.durablestreams.store.postgres;

/**
 * The database could not be reached, or stopped answering, or failed over mid-operation. The
 * outcome of a write that failed this way may be unknown (a commit whose answer was lost): callers
 * answer 503 and let the client retry, which idempotent producers make exactly once.
 */
public final class PostgresUnavailableException extends RuntimeException {
    public PostgresUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
