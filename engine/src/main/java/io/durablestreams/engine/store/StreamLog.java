package io.durablestreams.engine.store;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The stored data of one stream incarnation: the bytes at positions {@code [base(), tail())},
 * where message and append (batch) boundaries fall, the writer state committed with each append,
 * and the durability of it all.
 *
 * <p>Thread-safety: {@link #append} and {@link #markSoftDeleted} are called with the owning
 * stream's lock held, so they are serialized; {@link #delete} is called once, after the last of
 * them. Readers call the query methods concurrently, but only for positions below a tail they
 * have already observed as durable; implementations must make those reads safe.
 *
 * <p>The engine waits for {@link #ready()} before it uses a log, so the query methods
 * ({@link #read}, {@link #boundedEnd}, {@link #isMessageBoundary}, {@link #boundariesToBatchEnd})
 * never have to load anything first.
 */
public interface StreamLog {
    /**
     * Completes when the query methods can answer without loading anything (a store that keeps
     * the message index only on disk loads it on its own threads, on the first call). A failed
     * load fails the future; the next call tries again.
     */
    CompletableFuture<Void> ready();

    /** Position of the first byte this log holds (a fork's divergence point, else 0). */
    long base();

    /** Position after the last stored byte (durable or not). */
    long tail();

    /**
     * Stores {@code entry} at {@link #tail()}, with its writer state (producer tuple,
     * Stream-Seq, closure) in the same atomic record. An entry without data records only the
     * writer state (a close). The returned future completes when the entry is durable per the
     * store's policy, or exceptionally if it could not be made durable; futures complete in call order.
     *
     * @throws StorageException if the bytes could not be written at all; then nothing was stored,
     *                          the log is unchanged and later appends may succeed
     */
    CompletableFuture<Void> append(AppendEntry entry);

    /** Completes when everything this log has accepted so far (creation included) is durable. */
    CompletableFuture<Void> sync();

    /** The bytes in {@code [from, to)}, which must lie within {@code [base(), tail()]}. */
    List<ByteBuffer> read(long from, long to);

    /**
     * The bytes in {@code [from, to)} as a region of one file, so a transport can send them with
     * zero copy; null when the store keeps no such file or the range spans several files.
     */
    default FileSlice fileSlice(long from, long to) {
        return null;
    }

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

    // --- retention (docs/extensions/retention.md) ---

    /**
     * The first position the stream serves: everything before it was given up by retention. Starts
     * at the descriptor's {@code initialStart}; rises with a stored snapshot entry (to its first
     * byte) and with {@link #retain}. Durable with what raised it; never falls. May lie below
     * {@link #base()} (a fork serves its source's bytes from there).
     */
    long retainedStart();

    /** Where the latest snapshot entry starts (raised by stored snapshot entries), or -1 without one. */
    long latestSnapshot();

    /**
     * Records that positions before {@code position} are no longer served. Called with the stream
     * lock held, like {@link #append}, with a position above {@link #retainedStart()} and at most
     * the tail; the future completes once that is durable.
     *
     * @throws StorageException if nothing could be written
     */
    CompletableFuture<Void> retain(long position);

    /**
     * Frees the stored bytes that lie wholly below {@code position} (which the caller no longer
     * reads: at most {@link #retainedStart()}, and below every fork's reads), at the store's
     * granularity (a file store frees whole segments). Runs on the store's threads; completes with
     * the number of bytes freed.
     */
    CompletableFuture<Long> reclaim(long position);

    /**
     * The largest append boundary at or below {@code position} in this log's retained range (an
     * append's start, which is a message boundary), or the lowest position the log still indexes
     * when there is none.
     */
    long appendBoundaryAtOrBefore(long position);

    /**
     * The end of the longest run of whole appends starting at the boundary {@code from} and ending
     * at most at {@code limit}, all of them made before {@code millis}; {@code from} when the first
     * one is younger.
     */
    long appendedBefore(long from, long limit, long millis);

    /** Records that the stream was deleted while forks still read it (it stays for them). */
    CompletableFuture<Void> markSoftDeleted();

    /**
     * Records the time of a read or write for sliding TTLs. Stores may persist it lazily (it is
     * called on every access and must not cause a durable write each time).
     */
    void touched(long nowMillis);

    /**
     * Deletes the stream's data and releases its resources. The future completes once the
     * deletion is durable: from then on, the stream is gone after any restart.
     */
    CompletableFuture<Void> delete();

    /**
     * How many messages (JSON mode) of this log end at or before {@code position}, if the log
     * knows without loading anything; else -1. For listings only: a store that cannot answer
     * cheaply keeps the default.
     */
    default long messagesUpTo(long position) {
        return -1;
    }
}
