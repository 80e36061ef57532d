package io.durablestreams.engine;

import io.durablestreams.engine.store.AppendEntry;
import io.durablestreams.engine.store.FileSlice;
import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.StreamLog;
import io.durablestreams.engine.store.StreamStorage;
import io.durablestreams.engine.store.memory.MemoryStorage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The memory store with levers for tests: streams to "recover", storage operations held back
 * until {@link #release()}, and faults.
 */
final class TestStorage implements StreamStorage {
    private final MemoryStorage memory = new MemoryStorage();
    private final List<CompletableFuture<Void>> held = new ArrayList<>();
    private final List<RecoveredStream> recovered = new ArrayList<>();
    /** While set, appends and syncs (and so creations) become durable only at {@link #release()}. */
    volatile boolean holding;
    /** While set, deletions become durable only at {@link #release()}. */
    volatile boolean holdDeletes;
    /** While set, logs that are not loaded yet become ready only at {@link #release()}. */
    volatile boolean holdLoads;
    /** Thrown by reads of every log, when set. */
    volatile RuntimeException readFailure;
    /** Thrown by the deletion of logs whose stream has this name, when set. */
    volatile String failDeleting;

    /** A stream as a durable store would return it at startup, not loaded yet (call before creating the engine). */
    StreamLog recoverable(StreamDescriptor d, long lastAccessMillis) {
        StreamLog log = wrap(d, memory.createLog(d).join(), false);
        recovered.add(new RecoveredStream(d, log, false, null, null, Map.of(), false, lastAccessMillis));
        return log;
    }

    static StreamDescriptor descriptor(String name, long incarnation, Long ttl, String expiresAt) {
        return new StreamDescriptor(name, incarnation, "text/plain", ttl, expiresAt, ttl, expiresAt, 0, null, 0, 0,
                null, 0, false, null, null, 0, -1);
    }

    /** Completes every held operation and stops holding. */
    void release() {
        takeHeld().forEach(f -> f.complete(null));
    }

    /** Fails every held operation with {@code failure} and stops holding. */
    void fail(RuntimeException failure) {
        takeHeld().forEach(f -> f.completeExceptionally(failure));
    }

    private synchronized List<CompletableFuture<Void>> takeHeld() {
        holding = false;
        holdDeletes = false;
        holdLoads = false;
        List<CompletableFuture<Void>> out = new ArrayList<>(held);
        held.clear();
        return out;
    }

    /** Operations held now. */
    synchronized int heldCount() {
        return held.size();
    }

    private synchronized CompletableFuture<Void> gate(boolean hold) {
        if (!hold) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        held.add(f);
        return f;
    }

    @Override
    public List<RecoveredStream> recover() {
        return List.copyOf(recovered);
    }

    @Override
    public CompletableFuture<Long> nextIncarnation() {
        return memory.nextIncarnation();
    }

    @Override
    public CompletableFuture<StreamLog> createLog(StreamDescriptor d) {
        return memory.createLog(d).thenApply(log -> wrap(d, log, true));
    }

    private StreamLog wrap(StreamDescriptor d, StreamLog log, boolean loaded) {
        return new StreamLog() {
            private CompletableFuture<Void> ready = loaded ? CompletableFuture.completedFuture(null) : null;

            public synchronized CompletableFuture<Void> ready() {
                if (ready == null) {
                    ready = gate(holdLoads);
                }
                return ready;
            }
            public long base() { return log.base(); }
            public long tail() { return log.tail(); }
            public CompletableFuture<Void> append(AppendEntry e) { return log.append(e).thenCompose(v -> gate(holding)); }
            public CompletableFuture<Void> sync() { return gate(holding); }
            public List<ByteBuffer> read(long from, long to) {
                RuntimeException failure = readFailure;
                if (failure != null) {
                    throw failure;
                }
                return log.read(from, to);
            }
            public FileSlice fileSlice(long from, long to) { return null; }
            public long boundedEnd(long f, long l, long m, boolean s) { return log.boundedEnd(f, l, m, s); }
            public boolean isMessageBoundary(long p) { return log.isMessageBoundary(p); }
            public long[] boundariesToBatchEnd(long p) { return log.boundariesToBatchEnd(p); }
            public long retainedStart() { return log.retainedStart(); }
            public long latestSnapshot() { return log.latestSnapshot(); }
            public CompletableFuture<Void> retain(long p) { return log.retain(p).thenCompose(v -> gate(holding)); }
            public CompletableFuture<Long> reclaim(long p) { return log.reclaim(p); }
            public long appendBoundaryAtOrBefore(long p) { return log.appendBoundaryAtOrBefore(p); }
            public long appendedBefore(long f, long l, long m) { return log.appendedBefore(f, l, m); }
            public CompletableFuture<Void> markSoftDeleted() { return log.markSoftDeleted().thenCompose(v -> gate(holding)); }
            public void touched(long now) { }
            public CompletableFuture<Void> delete() {
                if (d.name().equals(failDeleting)) {
                    throw new IllegalStateException("deleting " + d.name() + " failed");
                }
                return log.delete().thenCompose(v -> gate(holdDeletes));
            }
        };
    }

    @Override
    public void close() {
    }
}
