package io.durablestreams.engine.store;

/**
 * Queries over a log's in-memory boundary index: ascending message ends and ascending append
 * (batch) ends, as absolute positions. Shared by every {@link StreamLog} so that chunking and
 * sub-offset resolution behave the same on every store. Callers synchronize access to the lists.
 */
public final class MessageIndex {
    private MessageIndex() {}

    /** See {@link StreamLog#boundedEnd}; {@code tail} is the log's tail. */
    public static long boundedEnd(LongList messageEnds, long tail, long from, long limit, long maxBytes, boolean splittable) {
        long cap = Math.min(limit, tail);
        long want = from + maxBytes;
        if (cap <= want) {
            return cap;
        }
        if (splittable) {
            return want;
        }
        int i = messageEnds.floorIndex(want);
        if (i >= 0 && messageEnds.get(i) > from) {
            return messageEnds.get(i);
        }
        int next = messageEnds.higherIndex(from);
        return next < messageEnds.size() ? Math.min(messageEnds.get(next), cap) : cap;
    }

    /** See {@link StreamLog#isMessageBoundary}; {@code base} is the log's first position. */
    public static boolean isBoundary(LongList messageEnds, long base, long position) {
        return position == base || messageEnds.contains(position);
    }

    /** See {@link StreamLog#boundariesToBatchEnd}. */
    public static long[] boundariesToBatchEnd(LongList messageEnds, LongList batchEnds, long position) {
        int b = batchEnds.higherIndex(position);
        if (b >= batchEnds.size()) {
            return new long[0];
        }
        long batchEnd = batchEnds.get(b);
        int from = messageEnds.higherIndex(position);
        int to = messageEnds.floorIndex(batchEnd);
        long[] out = new long[Math.max(0, to - from + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = messageEnds.get(from + i);
        }
        return out;
    }

    /**
     * See {@link StreamLog#appendBoundaryAtOrBefore}: {@code batchEnds} are the ends of the indexed
     * appends, {@code first} the lowest indexed position (the start of the first of them).
     */
    public static long boundaryAtOrBefore(LongList batchEnds, long first, long position) {
        int i = batchEnds.floorIndex(position);
        return i >= 0 ? Math.max(first, batchEnds.get(i)) : first;
    }

    /**
     * See {@link StreamLog#appendedBefore}. {@code batchTimes}, parallel to {@code batchEnds}, holds
     * each append's time raised to the latest time before it (a running maximum, so a clock that
     * stepped back never makes a later append look older than an earlier one).
     */
    public static long appendedBefore(LongList batchEnds, LongList batchTimes, long from, long limit, long millis) {
        int old = countBelow(batchTimes, millis);
        int fit = batchEnds.floorIndex(limit) + 1;
        int n = Math.min(old, fit);
        if (n == 0) {
            return from;
        }
        long end = batchEnds.get(n - 1);
        return Math.max(end, from);
    }

    /** The number of values below {@code key} in an ascending list that may hold duplicates. */
    private static int countBelow(LongList list, long key) {
        int lo = 0;
        int hi = list.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (list.get(mid) < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
