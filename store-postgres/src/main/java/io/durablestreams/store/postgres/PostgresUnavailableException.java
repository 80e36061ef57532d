package io.durablestreams.store.postgres;

import io.durablestreams.engine.store.StorageException;
import java.io.IOException;

/**
 * The database could not be reached, or stopped answering, or failed over mid-operation. The
 * outcome of a write that failed this way may be unknown (a commit whose answer was lost): the
 * server answers 503 with {@code Retry-After} and the client retries, which idempotent producers
 * make exactly once.
 */
public final class PostgresUnavailableException extends StorageException {
    public PostgresUnavailableException(String message, Throwable cause) {
        super(message, new IOException(message, cause));
    }

    @Override
    public boolean unavailable() {
        return true;
    }
}
