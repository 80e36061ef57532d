package io.durablestreams.store.file;

import java.io.IOException;
import io.durablestreams.engine.store.StorageException;

/**
 * An append, sync or delete failed because the file system reported an I/O error.
 *
 * <p>Policy (the single I/O-error funnel, {@link StorageFailures}): after a failed write the
 * stream that saw it refuses further appends, because the engine has already advanced its
 * in-memory tail past the failed bytes; after a failed {@code fsync} the whole store refuses
 * appends, because the kernel may have dropped the dirty pages and a retried {@code fsync} would
 * report success for data that is gone. Either way nothing acknowledged before is touched, reads
 * keep working, and a restart recovers the longest checksummed prefix.
 */
public class StorageIOException extends StorageException {
    public StorageIOException(String message, IOException cause) {
        super(message, cause);
    }
}
