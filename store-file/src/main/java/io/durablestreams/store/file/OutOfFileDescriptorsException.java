package io.durablestreams.store.file;

import java.io.IOException;

/**
 * An operation failed because the process has no file descriptor left ({@code EMFILE}/{@code ENFILE}),
 * typically opening a stream's file while many connections are open. Servers should answer 503
 * with {@code Retry-After}: it is overload, and the same request may succeed once descriptors are
 * free. The write policy of {@link StorageIOException} still applies.
 */
public final class OutOfFileDescriptorsException extends StorageIOException {
    public OutOfFileDescriptorsException(String message, IOException cause) {
        super(message, cause);
    }

    @Override
    public boolean outOfFileDescriptors() {
        return true;
    }
}
