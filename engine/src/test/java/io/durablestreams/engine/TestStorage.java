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
 * The memory store with levers for tests: streams to "recover", durability held back until
 * {@link #release()}, and faults.
 */
final class TestStorage implements StreamStorage {
    private final MemoryStorage memory = new MemoryStorage();
    private final List<CompletableFuture<Void>> held = new ArrayList<>();
    private final List<RecoveredStream> recovered = new ArrayList<>();
    /** While set, appends and syncs complete only at {@link #release()}. */
    volatile boolean holding;
    /** Thrown by reads of every log, when set. */
    volatile RuntimeException readFailure;
    /** Thrown by the deletion of logs whose stream has this name, when set. */
    volatile String failDeleting;

    /** A stream as a durable store would return it at startup (call before creating the engine). */
    StreamLog recoverable(StreamDescriptor d, long lastAccessMillis) {
        StreamLog log = wrap(d, memory.createLog(d));
        recovered.add(new RecoveredStream(d, log, false, null, null, Map.of(), false, lastAccessMillis));
        return log;
    }

    static StreamDescriptor descriptor(String name, long incarnation, Long ttl, String expiresAt) {
        return new StreamDescriptor(name, incarnation, "text/plain", ttl, expiresAt, ttl, expiresAt, 0, null, 0, 0,
                null, 0, false);
    }

    synchronized void release() {
        holding = false;
        held.forEach(f -> f.complete(null));
        held.clear();
    }

    private synchronized CompletableFuture<Void> gate() {
        if (!holding) {
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
    public StreamLog createLog(StreamDescriptor d) {
        return wrap(d, memory.createLog(d));
    }

    private StreamLog wrap(StreamDescriptor d, StreamLog log) {
        return new StreamLog() {
            public long base() { return log.base(); }
            public long tail() { return log.tail(); }
            public CompletableFuture<Void> append(AppendEntry e) { return log.append(e).thenCompose(v -> gate()); }
            public CompletableFuture<Void> sync() { return gate(); }
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
            public CompletableFuture<Void> markSoftDeleted() { return log.markSoftDeleted(); }
            public void touched(long now) { }
            public void delete() {
                if (d.name().equals(failDeleting)) {
                    throw new IllegalStateException("deleting " + d.name() + " failed");
                }
                log.delete();
            }
        };
    }

    @Override
    public long nextIncarnation() {
        return memory.nextIncarnation();
    }

    @Override
    public void close() {
    }
}
