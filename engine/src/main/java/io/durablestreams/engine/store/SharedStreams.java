package io.durablestreams.engine.store;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A store that several nodes share (PostgreSQL): the store, not any node's memory, is the truth
 * for every stream — existence, configuration, tail, closure, writer state, forks, expiry. The
 * engine loads a stream before it serves each request on it and lets the store decide every
 * write ({@link io.durablestreams.engine.WriterRules} applied under the store's own lock), so a
 * node never answers what the store does not hold. Node memory only caches immutable things:
 * configuration per incarnation, and chunks below a committed tail.
 *
 * <p>Every method returns at once; the work runs on the store's threads.
 */
public interface SharedStreams {
    /**
     * The stream under {@code name} as committed now, with its fork sources; null when no stream
     * has the name. When {@code readFrom >= 0}, the chunks of its chain covering
     * {@code [readFrom, readFrom + readBytes)} (and the one containing {@code readFrom}) are loaded
     * into the logs first, so a read there answers from memory.
     */
    CompletableFuture<SharedStream> load(String name, long readFrom, int readBytes);

    /**
     * Applies a write to the stream incarnation of {@code log} atomically: decides it against the
     * committed writer state under the store's lock of the stream, stores it if accepted (unless
     * {@code dryRun}), and completes once that is committed.
     * Fails with {@link StorageConflict} when the incarnation is no longer the stream's.
     *
     * @param expectedTail the tail a conditional write requires, or -1 (see {@link io.durablestreams.engine.WriterRules#decide})
     */
    CompletableFuture<WriteResult> write(StreamLog log, AppendEntry entry, boolean typeMatches, boolean dryRun, long expectedTail);

    /**
     * Deletes a stream incarnation: soft while forks read it, else removed with its data, and a
     * soft-deleted source whose last fork this was goes too. Fails with {@link StorageConflict}
     * when the incarnation is no longer the stream's (someone else deleted it).
     *
     * @return whether the stream was only soft-deleted
     */
    CompletableFuture<Boolean> delete(String name, long incarnation);

    /** The names of every live (not soft-deleted) stream. */
    CompletableFuture<java.util.List<String>> names();

    /** Deletes streams whose expiry has passed, in bounded batches; completes with how many. */
    CompletableFuture<Integer> sweepExpired(long nowMillis);

    /**
     * One retention round over every stream (docs/extensions/retention.md): moves retained starts as
     * the policies allow and deletes the data below starts that are at least {@code graceMillis}
     * old, in bounded batches; completes with the bytes freed.
     */
    CompletableFuture<Long> sweepRetention(long nowMillis, long graceMillis);

    /** Calls {@code listener} with the number of bytes every time retention freed stored data. */
    void onReclaimed(java.util.function.LongConsumer listener);

    /**
     * Registers the listener of changes committed by other nodes: called after a write, close or
     * delete of a stream (with its committed state when the store heard it), and with null when
     * notifications may have been lost (the channel to the store was re-established): then any
     * stream may have changed.
     */
    void onChange(Consumer<StreamChange> listener);
}
