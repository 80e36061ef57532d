package io.durablestreams.engine.store;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Durable key-value records for the control plane: subscriptions and the server's signing keys.
 * Small values, few writes; {@link #put} and {@link #remove} are durable when they return (inside
 * {@link #exclusively}: when it returns). Keys are opaque strings the store must not interpret as
 * file paths.
 */
public interface ControlStore {
    /** Every record whose key starts with {@code prefix}. */
    Map<String, byte[]> load(String prefix);

    void put(String key, byte[] value);

    void remove(String key);

    /**
     * Whether other servers (the nodes of a cluster) read and write the same records at the same
     * time. Their users then act only inside {@link #exclusively}, on records read there, because
     * what they remember may be out of date.
     */
    default boolean shared() {
        return false;
    }

    /**
     * Runs {@code work} holding the store's one lock, which no other server holds meanwhile, and
     * returns its result. What {@code work} puts and removes becomes durable, and visible to the
     * other servers, all together when it returns; none of it if it throws. Nested calls on one
     * thread run inside the outer one. A store that only one server uses needs no lock: the
     * default runs {@code work} directly.
     *
     * @throws StorageException whose {@link StorageException#unavailable()} is true when the lock
     *                          could not be taken within the store's bound (another server holds it
     *                          too long, or the store cannot be reached)
     */
    default <T> T exclusively(Supplier<T> work) {
        return work.get();
    }
}
