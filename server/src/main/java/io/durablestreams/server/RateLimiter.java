package io.durablestreams.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per client key (the remote address): {@code burst} tokens, refilled at
 * {@code ratePerSecond}. Idle full buckets are forgotten so the map stays bounded by active clients.
 */
final class RateLimiter {
    /** Buckets idle this long are dropped: {@value} ms. */
    static final long IDLE_EVICTION_MILLIS = 60_000;

    private final double ratePerMilli;
    private final int burst;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    private static final class Bucket {
        double tokens;
        long updatedMillis;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedMillis = now;
        }
    }

    RateLimiter(double ratePerSecond, int burst, LongSupplier clockMillis) {
        this.ratePerMilli = ratePerSecond / 1000.0;
        this.burst = burst;
        this.clock = clockMillis;
    }

    /** Takes a token for {@code key}; returns 0 if allowed, else the milliseconds until one is available. */
    long acquire(String key) {
        long now = clock.getAsLong();
        sweep(now);
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.updatedMillis) * ratePerMilli);
            b.updatedMillis = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - b.tokens) / ratePerMilli);
        }
    }

    private void sweep(long now) {
        if (now - lastSweep < IDLE_EVICTION_MILLIS) {
            return;
        }
        lastSweep = now;
        buckets.entrySet().removeIf(e -> now - e.getValue().updatedMillis > IDLE_EVICTION_MILLIS);
    }
}
