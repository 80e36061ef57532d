package io.durablestreams.engine.store;

/**
 * A shared store changed under a request before anything of it was applied (another node created
 * the name first, deleted the stream, or deleted a fork's source): the engine runs the request
 * again from a fresh load, which then answers what the store holds.
 */
public final class StorageConflict extends RuntimeException {
    public StorageConflict(String message) {
        super(message, null, false, false);
    }
}
