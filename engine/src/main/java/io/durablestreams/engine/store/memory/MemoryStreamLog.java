package io.durablestreams.engine.store.memory;

import io.durablestreams.engine.store.AppendEntry;
import io.durablestreams.engine.store.LongList;
import io.durablestreams.engine.store.MessageIndex;
import io.durablestreams.engine.store.StreamLog;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A stream's bytes as a list of immutable per-append arrays, indexed by start position.
 * Writers are serialized by the engine; readers synchronize on this log because the index
 * arrays grow in place.
 */
final class MemoryStreamLog implements StreamLog {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final long base;
    private final List<byte[]> records = new ArrayList<>();
    private final LongList recordStarts = new LongList();
    private final LongList messageEnds = new LongList();
    private final LongList batchEnds = new LongList();
    private long tail;

    MemoryStreamLog(long base) {
        this.base = base;
        this.tail = base;
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
        records.add(entry.data());
        recordStarts.add(tail);
        for (int end : entry.messageEnds()) {
            messageEnds.add(tail + end);
        }
        tail += entry.data().length;
        batchEnds.add(tail);
        return DONE;
    }

    @Override
    public synchronized List<ByteBuffer> read(long from, long to) {
        List<ByteBuffer> out = new ArrayList<>();
        if (from >= to) {
            return out;
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
        return MessageIndex.isBoundary(messageEnds, base, position);
    }

    @Override
    public synchronized long[] boundariesToBatchEnd(long position) {
        return MessageIndex.boundariesToBatchEnd(messageEnds, batchEnds, position);
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
