package io.durablestreams.store.file;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The single funnel for I/O errors (policy: {@link StorageIOException}). Classifies an
 * {@link IOException} as disk-full, out of file descriptors or other, and after a failed {@code fsync} turns the whole
 * store read-only until restart: a failed {@code fsync} is never retried.
 *
 * <p>Thread-safe.
 */
final class StorageFailures {
    private static final System.Logger LOG = System.getLogger(StorageFailures.class.getName());
    /** Text of {@code ENOSPC} as the JDK reports it: {@value}. */
    private static final String NO_SPACE = "No space left on device";
    /** Text of {@code EMFILE} and {@code ENFILE} as the JDK reports them: {@value}. */
    private static final String NO_DESCRIPTORS = "Too many open files";

    private volatile StorageIOException fatal;

    /** The typed exception for {@code e}; {@code what} names the operation, file and position. */
    StorageIOException classify(String what, IOException e) {
        return wrap(e, what);
    }

    /** The typed exception for an I/O error outside the append path (no store-wide effect). */
    static StorageIOException wrap(IOException e, String what) {
        String message = what + ": " + describe(e);
        return mentions(e, NO_SPACE) ? new StorageFullException(message, e)
                : mentions(e, NO_DESCRIPTORS) ? new OutOfFileDescriptorsException(message, e)
                : new StorageIOException(message, e);
    }

    /** Records a failed {@code fsync}: from now on the store refuses every append. */
    StorageIOException fsyncFailed(String what, IOException e) {
        StorageIOException failure = classify(what, e);
        if (fatal == null) {
            fatal = failure;
            LOG.log(System.Logger.Level.ERROR, failure.getMessage() + "; the file store is read-only until restart");
        }
        return failure;
    }

    /** The reason appends are refused, or null while the store is writable. */
    StorageIOException refusal() {
        StorageIOException f = fatal;
        return f == null ? null : new StorageIOException("file store is read-only until restart after an fsync failure: "
                + f.getMessage(), f.getCause());
    }

    /**
     * The file and what went wrong, in one line, also for the exceptions whose message is only the
     * path ({@code AccessDeniedException}, {@code NoSuchFileException}, ...).
     */
    static String describe(IOException e) {
        if (e instanceof FileSystemException f) {
            String reason = f.getReason() != null ? f.getReason()
                    : f instanceof AccessDeniedException ? "permission denied"
                    : f instanceof NoSuchFileException ? "no such file or directory"
                    : f instanceof NotDirectoryException ? "not a directory"
                    : f instanceof FileAlreadyExistsException ? "already exists"
                    : f instanceof DirectoryNotEmptyException ? "directory not empty"
                    : f.getClass().getSimpleName();
            return (f.getFile() == null ? "" : f.getFile() + ": ") + reason;
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static boolean mentions(IOException e, String errnoText) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(errnoText)) {
                return true;
            }
        }
        return false;
    }
}
