package io.durablestreams.client;

/**
 * How the client retries transient failures: 5xx responses, 429 responses and network errors.
 *
 * <p>Delays grow exponentially from {@link #initialDelayMs()} by {@link #multiplier()} up to
 * {@link #maxDelayMs()}, with <em>full jitter</em>: each wait is uniformly random between zero and the
 * current ceiling, so that many clients failing together do not retry together. A {@code Retry-After}
 * header on the response overrides the computed delay. After {@link #maxRetries()} retries the failure
 * is reported (first to the {@link ErrorHandler}, if any). Other 4xx responses are never retried.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RetryPolicy {
    /** Five retries, 100 ms first delay, doubling, capped at 5 s: gives up within about 3 s at worst. */
    public static final RetryPolicy DEFAULT = newBuilder().build();
    /** No retries at all. */
    public static final RetryPolicy NONE = newBuilder().maxRetries(0).build();

    private final int maxRetries;
    private final long initialDelayMs;
    private final long maxDelayMs;
    private final double multiplier;
    private final long maxRetryAfterMs;

    private RetryPolicy(Builder b) {
        this.maxRetries = b.maxRetries;
        this.initialDelayMs = b.initialDelayMs;
        this.maxDelayMs = b.maxDelayMs;
        this.multiplier = b.multiplier;
        this.maxRetryAfterMs = b.maxRetryAfterMs;
    }

    /** Returns a builder with the default values. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** Maximum number of retries after the first attempt. */
    public int maxRetries() {
        return maxRetries;
    }

    /** Ceiling of the first retry's delay, in milliseconds. */
    public long initialDelayMs() {
        return initialDelayMs;
    }

    /** Largest ceiling any retry delay may reach, in milliseconds. */
    public long maxDelayMs() {
        return maxDelayMs;
    }

    /** Growth factor of the delay ceiling between retries. */
    public double multiplier() {
        return multiplier;
    }

    /** Longest {@code Retry-After} the client honours, in milliseconds; longer values are capped. */
    public long maxRetryAfterMs() {
        return maxRetryAfterMs;
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxRetries=" + maxRetries + ", initialDelayMs=" + initialDelayMs
                + ", maxDelayMs=" + maxDelayMs + ", multiplier=" + multiplier + "}";
    }

    /** Builds a {@link RetryPolicy}; {@link #build()} validates the values. */
    public static final class Builder {
        private int maxRetries = 5;
        private long initialDelayMs = 100;
        private long maxDelayMs = 5_000;
        private double multiplier = 2.0;
        private long maxRetryAfterMs = 60_000;

        private Builder() {
        }

        /** Maximum retries after the first attempt; must be {@code >= 0}. */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** Ceiling of the first delay in milliseconds; must be {@code > 0}. */
        public Builder initialDelayMs(long initialDelayMs) {
            this.initialDelayMs = initialDelayMs;
            return this;
        }

        /** Cap of the delay ceiling in milliseconds; must be {@code >= initialDelayMs}. */
        public Builder maxDelayMs(long maxDelayMs) {
            this.maxDelayMs = maxDelayMs;
            return this;
        }

        /** Growth factor of the ceiling; must be {@code >= 1.0}. */
        public Builder multiplier(double multiplier) {
            this.multiplier = multiplier;
            return this;
        }

        /** Cap applied to server {@code Retry-After} values in milliseconds; must be {@code >= 0}. */
        public Builder maxRetryAfterMs(long maxRetryAfterMs) {
            this.maxRetryAfterMs = maxRetryAfterMs;
            return this;
        }

        /**
         * Validates and builds the policy.
         *
         * @throws IllegalArgumentException naming the offending parameter
         */
        public RetryPolicy build() {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
            }
            if (initialDelayMs <= 0) {
                throw new IllegalArgumentException("initialDelayMs must be > 0, was " + initialDelayMs);
            }
            if (maxDelayMs < initialDelayMs) {
                throw new IllegalArgumentException("maxDelayMs must be >= initialDelayMs (" + initialDelayMs
                        + "), was " + maxDelayMs);
            }
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("multiplier must be a finite number >= 1.0, was " + multiplier);
            }
            if (maxRetryAfterMs < 0) {
                throw new IllegalArgumentException("maxRetryAfterMs must be >= 0, was " + maxRetryAfterMs);
            }
            return new RetryPolicy(this);
        }
    }
}
