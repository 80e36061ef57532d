package io.durablestreams.protocol;

import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Cursors for CDN collapsing (PROTOCOL.md §10.1): the number of 20-second intervals since
 * 2024-10-09T00:00:00Z. When a client echoes a cursor that is not behind the current interval,
 * the answer jumps ahead by a random 1–3600 seconds so that cursors strictly increase and a
 * cache can never serve the same empty answer in a loop.
 */
public final class Cursor {
    public static final long EPOCH_MILLIS = 1_728_432_000_000L;
    public static final long INTERVAL_MILLIS = 20_000L;
    private static final int MIN_JITTER_SECONDS = 1;
    private static final int MAX_JITTER_SECONDS = 3600;

    private final LongSupplier clockMillis;
    private final RandomGenerator random;

    public Cursor(LongSupplier clockMillis, RandomGenerator random) {
        this.clockMillis = clockMillis;
        this.random = random;
    }

    public long currentInterval() {
        return Math.floorDiv(clockMillis.getAsLong() - EPOCH_MILLIS, INTERVAL_MILLIS);
    }

    /** The cursor to send, given the one the client echoed (or {@code null}). */
    public String next(String clientCursor) {
        long current = currentInterval();
        long client = parse(clientCursor);
        if (client < current) {
            return Long.toString(current);
        }
        int jitterSeconds = random.nextInt(MIN_JITTER_SECONDS, MAX_JITTER_SECONDS + 1);
        long jitterIntervals = Math.max(1, (jitterSeconds * 1000L + INTERVAL_MILLIS - 1) / INTERVAL_MILLIS);
        return Long.toString(client + jitterIntervals);
    }

    private static long parse(String cursor) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > 18) {
            return Long.MIN_VALUE;
        }
        for (int i = 0; i < cursor.length(); i++) {
            char c = cursor.charAt(i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
        }
        return Long.parseLong(cursor);
    }
}
