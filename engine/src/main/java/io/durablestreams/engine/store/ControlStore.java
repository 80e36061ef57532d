package io.durablestreams.engine.store;

import java.util.Map;

/**
 * Durable key-value records for the control plane: subscriptions and the server's signing keys.
 * Small values, few writes; {@link #put} and {@link #remove} are durable when they return.
 * Keys are opaque strings the store must not interpret as file paths.
 */
public interface ControlStore {
    /** Every record whose key starts with {@code prefix}. */
    Map<String, byte[]> load(String prefix);

    void put(String key, byte[] value);

    void remove(String key);
}
