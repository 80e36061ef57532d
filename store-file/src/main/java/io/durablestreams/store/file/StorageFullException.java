package io.durablestreams.store.file;

import java.io.IOException;

/**
 * An append failed because the device is full ({@code ENOSPC}). The partial bytes were cut
 * back; nothing acknowledged before is affected. The stream that saw it refuses further appends
 * until restart (see {@link StorageIOException} for why); other streams keep appending when
 * space returns. Servers should answer 507 Insufficient Storage.
 */
public final class StorageFullException extends StorageIOException {
    public StorageFullException(String message, IOException cause) {
        super(message, cause);
    }

    @Override
    public boolean diskFull() {
        return true;
    }
}
