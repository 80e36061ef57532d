package io.durablestreams.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The file store cannot open its data directory: another process holds it, or it cannot be
 * created, locked or read. The message is one complete line for an operator, naming the directory
 * and the reason ({@code ds serve} prints it and exits).
 */
public final class DataDirectoryException extends UncheckedIOException {
    private DataDirectoryException(String message, IOException cause) {
        super(message, cause);
    }

    static DataDirectoryException inUse(Path root, Path lockFile) {
        return new DataDirectoryException("data directory " + root + " is in use by another process (lock held on "
                + lockFile + ")", new IOException("lock held on " + lockFile));
    }

    static DataDirectoryException unusable(Path root, IOException cause) {
        return new DataDirectoryException("cannot use data directory " + root + ": " + StorageFailures.describe(cause), cause);
    }
}
