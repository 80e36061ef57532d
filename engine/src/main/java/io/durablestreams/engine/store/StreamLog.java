package io.durablestreams.engine.store;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The stored data of one stream incarnation: the bytes at positions {@code [base(), tail())},
 * where message and append (batch) boundaries fall, and the durability of each append.
 *
 * <p>Thread-safety: {@link #append} is called with the owning stream's lock held, so calls are
 * serialized. Readers call the query methods concurrently with appends, but only for positions
 * below a tail they have already observed; implementations must make those reads safe.
 */
public interface StreamLog {
    /** Position of the first byte this log holds (a fork's divergence point, else 0). */
    long base();

    /** Position after the last stored byte (durable or not). */
    long tail();

    /**
     * Stores {@code entry} at {@link #tail()}. The returned future completes when the entry is
     * durable per the store's policy, or exceptionally if it could not be stored; futures
     * complete in call order.
     */
    CompletableFuture<Void> append(AppendEntry entry);

    /** The bytes in {@code [from, to)}, which must lie within {@code [base(), tail()]}. */
    List<ByteBuffer> read(long from, long to);

    /**
     * The end of the longest run of whole messages starting at {@code from} and spanning at most
     * {@code maxBytes}, capped at {@code limit}. When the first message alone is longer than
     * {@code maxBytes}, returns its end ({@code splittable == false}) or {@code from + maxBytes}.
     */
    long boundedEnd(long from, long limit, long maxBytes, boolean splittable);

    /** Whether {@code position} is the start or end of a message. */
    boolean isMessageBoundary(long position);

    /**
     * The message boundaries after {@code position} up to the end of the append (batch) that
     * contains {@code position}, ascending; empty when {@code position} is at the tail.
     */
    long[] boundariesToBatchEnd(long position);

    /** Releases the log's resources and deletes its data. */
    void delete();
}
