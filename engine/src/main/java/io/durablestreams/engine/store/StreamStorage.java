package io.durablestreams.engine.store;

/**
 * Where stream data lives. One implementation per backend (memory, file, ...); the engine holds
 * all protocol state and asks the storage only to keep bytes and the writer state that goes with
 * them.
 */
public interface StreamStorage extends AutoCloseable {
    /** Creates the (empty) log of a new stream incarnation whose first position is {@code base}. */
    StreamLog createLog(String name, long incarnation, long base);

    /** A new server-wide incarnation id, strictly greater than every id handed out before. */
    long nextIncarnation();

    @Override
    void close();
}
