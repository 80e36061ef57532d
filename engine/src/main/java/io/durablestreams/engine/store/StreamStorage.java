package io.durablestreams.engine.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where stream data lives. One implementation per backend (memory, file, ...). The engine holds
 * all protocol state in memory and asks the storage to keep the bytes and, atomically with them,
 * the writer state that describes them, so that {@link #recover()} can rebuild it.
 *
 * <p>Threading: the engine calls the storage from request threads (the server's event loops),
 * which must never wait for a disk or a network. Every operation that may wait returns a
 * {@link CompletableFuture} and does its waiting on threads the store owns; those futures may
 * complete on such a thread, and the engine continues its work there. Methods that return plain
 * values must answer from memory (or, for reads, from data a durable tail covers).
 */
public interface StreamStorage extends AutoCloseable {
    /**
     * Streams that survived the last run, sources before their forks. Called once, before any
     * other method. A fresh or in-memory store returns an empty list.
     */
    List<RecoveredStream> recover();

    /**
     * A new server-wide incarnation id, strictly greater than every id handed out before, across
     * restarts (a store may have to make a reservation durable first).
     */
    CompletableFuture<Long> nextIncarnation();

    /**
     * Creates the (empty) log of a new stream incarnation; completes once the log accepts
     * appends. The creation is durable once {@link StreamLog#sync()} (or the future of the first
     * append) completes.
     */
    CompletableFuture<StreamLog> createLog(StreamDescriptor descriptor);

    /**
     * The shared-store side of this store, when several nodes share it (then the store, not the
     * engine, is the truth for every stream, and {@link #recover()} returns nothing); null for a
     * store this process owns alone.
     */
    default SharedStreams shared() {
        return null;
    }

    /** Calls {@code listener} with the duration in nanoseconds of every durability sync round, if the store has them. */
    default void onSync(java.util.function.LongConsumer listener) {
    }

    /** Bytes of stream data the store holds, or -1 when it does not know. */
    default long storedBytes() {
        return -1;
    }

    /**
     * Whether the store can serve requests now (a networked store: whether its database answered
     * recently). Answered from memory — {@code /readyz} calls it on an event loop.
     */
    default boolean available() {
        return true;
    }

    /** Finishes the operations in flight (their futures complete), then releases everything. */
    @Override
    void close();
}
