package io.durablestreams.engine.store;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A store could not do what was asked because of the storage underneath (I/O error, full disk).
 * An append that fails with it was not acknowledged and, by the store's contract, left nothing
 * visible; the server answers 507 when {@link #diskFull()}, 503 when {@link #outOfFileDescriptors()} or
 * {@link #unavailable()}, else 500.
 */
public class StorageException extends UncheckedIOException {
    public StorageException(String message, IOException cause) {
        super(message, cause);
    }

    /**
     * True when the store cannot be reached or stopped answering (a database failing over): the
     * request may succeed when retried shortly; a write's outcome may be unknown.
     */
    public boolean unavailable() {
        return false;
    }

    /** True when the device is full ({@code ENOSPC}): retrying after space is freed may succeed. */
    public boolean diskFull() {
        return false;
    }

    /**
     * True when the process has no file descriptor left ({@code EMFILE}/{@code ENFILE}): overload,
     * not damage; retrying once connections or files are closed may succeed.
     */
    public boolean outOfFileDescriptors() {
        return false;
    }
}
