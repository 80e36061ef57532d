package io.durablestreams.engine.store;

import java.util.List;

/**
 * Where stream data lives. One implementation per backend (memory, file, ...). The engine holds
 * all protocol state in memory and asks the storage to keep the bytes and, atomically with them,
 * the writer state that describes them, so that {@link #recover()} can rebuild it.
 */
public interface StreamStorage extends AutoCloseable {
    /**
     * Streams that survived the last run, sources before their forks. Called once, before any
     * other method. A fresh or in-memory store returns an empty list.
     */
    List<RecoveredStream> recover();

    /**
     * Creates the (empty) log of a new stream incarnation. The creation is durable once
     * {@link StreamLog#sync()} (or the future of the first append) completes.
     */
    StreamLog createLog(StreamDescriptor descriptor);

    /** A new server-wide incarnation id, strictly greater than every id handed out before, across restarts. */
    long nextIncarnation();

    /** Calls {@code listener} with the duration in nanoseconds of every durability sync round, if the store has them. */
    default void onSync(java.util.function.LongConsumer listener) {
    }

    /** Bytes of stream data the store holds, or -1 when it does not know. */
    default long storedBytes() {
        return -1;
    }

    @Override
    void close();
}
