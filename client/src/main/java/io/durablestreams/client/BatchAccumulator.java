package io.durablestreams.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups producer items into batches bounded by bytes and item count. Pure and not thread-safe: the
 * producer calls it under its own lock.
 */
final class BatchAccumulator {
    private final boolean json;
    private final long maxBatchBytes;
    private final int maxBatchItems;
    private List<byte[]> items = new ArrayList<>();
    private long itemBytes;

    BatchAccumulator(boolean json, long maxBatchBytes, int maxBatchItems) {
        this.json = json;
        this.maxBatchBytes = maxBatchBytes;
        this.maxBatchItems = maxBatchItems;
    }

    /**
     * Adds an item and returns the batches it completed, in order (none, one, or two when an item too
     * large to share a batch closes the current one and then fills its own).
     */
    List<Batch> add(byte[] item) {
        List<Batch> done = new ArrayList<>(2);
        if (!items.isEmpty() && Batch.sizeOf(itemBytes + item.length, items.size() + 1, json) > maxBatchBytes) {
            done.add(drain());
        }
        items.add(item);
        itemBytes += item.length;
        if (items.size() >= maxBatchItems || Batch.sizeOf(itemBytes, items.size(), json) >= maxBatchBytes) {
            done.add(drain());
        }
        return done;
    }

    /** The incomplete batch, or {@code null} when empty; the accumulator is empty afterwards. */
    Batch drain() {
        if (items.isEmpty()) {
            return null;
        }
        Batch b = new Batch(items, json);
        items = new ArrayList<>();
        itemBytes = 0;
        return b;
    }

    /** Items waiting for their batch. */
    int size() {
        return items.size();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }
}
