package io.durablestreams.engine.store.memory;

import io.durablestreams.engine.store.AppendEntry;
import io.durablestreams.engine.store.LongList;
import io.durablestreams.engine.store.MessageIndex;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.StreamLog;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A stream's bytes as a list of immutable per-append arrays, indexed by start position.
 * Writers are serialized by the engine; readers synchronize on this log because the index
 * arrays grow in place. Retention drops whole appends from the front (arrays and index entries).
 */
final class MemoryStreamLog implements StreamLog {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final long base;
    private final List<byte[]> records = new ArrayList<>();
    private final LongList recordStarts = new LongList();
    private final LongList messageEnds = new LongList();
    private final LongList batchEnds = new LongList();
    /** Append times (running maximum), parallel to {@link #batchEnds}. */
    private final LongList batchTimes = new LongList();
    private long tail;
    /** The lowest position still held: the start of the first record kept. */
    private long first;
    private long retainedStart;
    private long latestSnapshot;

    MemoryStreamLog(StreamDescriptor d) {
        this.base = d.forkPosition();
        this.tail = base;
        this.first = base;
        this.retainedStart = d.initialStart();
        this.latestSnapshot = d.initialSnapshot();
    }

    @Override
    public CompletableFuture<Void> ready() {
        return DONE;
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public synchronized long tail() {
        return tail;
    }

    @Override
    public synchronized CompletableFuture<Void> append(AppendEntry entry) {
        if (!entry.hasData()) {
            return DONE;
        }
        if (entry.snapshot()) {
            latestSnapshot = tail;
            retainedStart = Math.max(retainedStart, tail);
        }
        records.add(entry.data());
        recordStarts.add(tail);
        for (int end : entry.messageEnds()) {
            messageEnds.add(tail + end);
        }
        tail += entry.data().length;
        batchEnds.add(tail);
        batchTimes.add(batchTimes.size() == 0 ? entry.appendedAtMillis() : Math.max(batchTimes.last(), entry.appendedAtMillis()));
        return DONE;
    }

    @Override
    public synchronized List<ByteBuffer> read(long from, long to) {
        List<ByteBuffer> out = new ArrayList<>();
        if (from >= to) {
            return out;
        }
        if (from < first) {
            throw new IllegalArgumentException("read from " + from + " below the first position still held, " + first);
        }
        int i = recordStarts.floorIndex(from);
        for (; i < records.size() && recordStarts.get(i) < to; i++) {
            long start = recordStarts.get(i);
            byte[] record = records.get(i);
            int lo = (int) Math.max(0, from - start);
            int hi = (int) Math.min(record.length, to - start);
            if (hi > lo) {
                out.add(ByteBuffer.wrap(record, lo, hi - lo).asReadOnlyBuffer());
            }
        }
        return out;
    }

    @Override
    public synchronized long boundedEnd(long from, long limit, long maxBytes, boolean splittable) {
        return MessageIndex.boundedEnd(messageEnds, tail, from, limit, maxBytes, splittable);
    }

    @Override
    public synchronized boolean isMessageBoundary(long position) {
        return MessageIndex.isBoundary(messageEnds, first, position);
    }

    @Override
    public synchronized long[] boundariesToBatchEnd(long position) {
        return MessageIndex.boundariesToBatchEnd(messageEnds, batchEnds, position);
    }

    @Override
    public synchronized long retainedStart() {
        return retainedStart;
    }

    @Override
    public synchronized long latestSnapshot() {
        return latestSnapshot;
    }

    @Override
    public synchronized CompletableFuture<Void> retain(long position) {
        retainedStart = Math.max(retainedStart, position);
        return DONE;
    }

    @Override
    public synchronized CompletableFuture<Long> reclaim(long position) {
        int n = 0;
        long freed = 0;
        while (n < records.size() && recordStarts.get(n) + records.get(n).length <= position) {
            freed += records.get(n).length;
            n++;
        }
        if (n > 0) {
            first = recordStarts.get(n - 1) + records.get(n - 1).length;
            records.subList(0, n).clear();
            recordStarts.removeFirst(n);
            batchEnds.removeFirst(n);
            batchTimes.removeFirst(n);
            messageEnds.removeFirst(messageEnds.floorIndex(first) + 1);
        }
        return CompletableFuture.completedFuture(freed);
    }

    @Override
    public synchronized long appendBoundaryAtOrBefore(long position) {
        return MessageIndex.boundaryAtOrBefore(batchEnds, first, position);
    }

    @Override
    public synchronized long appendedBefore(long from, long limit, long millis) {
        return MessageIndex.appendedBefore(batchEnds, batchTimes, from, limit, millis);
    }

    @Override
    public synchronized long messagesUpTo(long position) {
        return messageEnds.floorIndex(position) + 1;
    }

    @Override
    public CompletableFuture<Void> sync() {
        return DONE;
    }

    @Override
    public CompletableFuture<Void> markSoftDeleted() {
        return DONE;
    }

    @Override
    public void touched(long nowMillis) {
        // nothing survives a restart, so there is nothing to remember
    }

    @Override
    public synchronized CompletableFuture<Void> delete() {
        records.clear();
        return DONE;
    }
}
