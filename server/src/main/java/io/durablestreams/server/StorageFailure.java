package io.durablestreams.server;

import io.durablestreams.engine.store.StorageException;

/** Maps a storage failure to a response: a full disk is 507 Insufficient Storage, anything else 500. */
record StorageFailure(int status, String type, String detail) {
    static StorageFailure of(Throwable err) {
        for (Throwable t = err; t != null; t = t.getCause()) {
            if (t instanceof StorageException se && se.diskFull()) {
                return new StorageFailure(507, "insufficient-storage", "the server's disk is full; the append was not stored");
            }
        }
        return new StorageFailure(500, "storage-error", "the request could not be stored");
    }
}
