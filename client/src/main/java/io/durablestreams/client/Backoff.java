package io.durablestreams.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;

/**
 * Computes retry delays for a {@link RetryPolicy}: exponential ceiling with full jitter, overridden by
 * {@code Retry-After}. Pure arithmetic: the random source and the clock are injected, so tests are exact.
 */
final class Backoff {
    private final RetryPolicy policy;
    private final DoubleSupplier random;

    /**
     * @param random returns uniformly distributed values in {@code [0, 1)}
     */
    Backoff(RetryPolicy policy, DoubleSupplier random) {
        this.policy = policy;
        this.random = random;
    }

    /** The delay ceiling before retry number {@code retry} (0-based), before jitter. */
    long ceilingMs(int retry) {
        double ceiling = policy.initialDelayMs() * Math.pow(policy.multiplier(), retry);
        return (long) Math.min(policy.maxDelayMs(), ceiling);
    }

    /** The jittered delay before retry number {@code retry}: uniform in {@code [0, ceilingMs(retry)]}. */
    long delayMs(int retry) {
        double r = random.getAsDouble();
        if (!(r >= 0.0) || r >= 1.0) {
            r = 0.0;
        }
        return Math.round(r * ceilingMs(retry));
    }

    /**
     * The delay before retry number {@code retry} given the response's {@code Retry-After} header, which
     * wins when present and valid (capped by {@link RetryPolicy#maxRetryAfterMs()}).
     */
    long delayMs(int retry, String retryAfter, Instant now) {
        long serverDelay = parseRetryAfterMs(retryAfter, now);
        if (serverDelay >= 0) {
            return Math.min(serverDelay, policy.maxRetryAfterMs());
        }
        return delayMs(retry);
    }

    /**
     * Parses {@code Retry-After} (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
     *
     * @return milliseconds to wait, or {@code -1} when absent or malformed
     */
    static long parseRetryAfterMs(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String v = value.trim();
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Math.multiplyExact(Long.parseLong(v), 1000L);
            } catch (ArithmeticException | NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Math.max(0, Duration.between(now, at).toMillis());
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
