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

    @Override
    void close();
}
