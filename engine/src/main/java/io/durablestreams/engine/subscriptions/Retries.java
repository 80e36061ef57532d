package io.durablestreams.engine.subscriptions;

import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The retry schedule of a wake that could not be delivered (a webhook POST, or a pull-wake event
 * its wake stream refused): {@value #MIN_BACKOFF_MS} ms doubling up to {@value #MAX_BACKOFF_MS} ms,
 * ±20% jitter (PROTOCOL.md §7.1). The schedule lives in the subscription ({@code attempts},
 * {@code next_attempt_at}, status {@code failed}) and is persisted with it, so a restart honours it.
 */
final class Retries {
    static final long MIN_BACKOFF_MS = 1_000;
    static final long MAX_BACKOFF_MS = 60_000;
    static final double JITTER = 0.2;

    private final LongSupplier clock;
    private final RandomGenerator random;

    Retries(LongSupplier clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    /** Records a failed attempt, and why, and schedules the next one ({@link #remaining}); the caller persists. */
    void failed(Subscription s, String why) {
        s.failed = true;
        s.lastError = why;
        s.lastErrorAt = clock.getAsLong();
        s.attempts++;
        long base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(16, s.attempts - 1));
        long delay = Math.round(base * (1 - JITTER + 2 * JITTER * random.nextDouble()));
        s.nextAttemptAt = clock.getAsLong() + delay;
    }

    /** Clears the schedule after a successful attempt; the caller persists. */
    void succeeded(Subscription s) {
        s.failed = false;
        s.attempts = 0;
        s.nextAttemptAt = 0;
    }

    /** How long until the persisted next attempt is due (0 if none is scheduled). */
    long remaining(Subscription s) {
        return Math.max(0, s.nextAttemptAt - clock.getAsLong());
    }
}
