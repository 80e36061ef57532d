package io.durablestreams.client;

import java.util.Objects;

/**
 * Settings of {@link DurableStream#fork(DurableStream, ForkOptions)} (§4.2). Immutable.
 */
public final class ForkOptions {
    /** Fork at the source's current tail, inheriting its content type and expiry. */
    public static final ForkOptions AT_TAIL = newBuilder().build();

    private final String offset;
    private final long subOffset;
    private final String contentType;
    private final Long ttlSeconds;
    private final String expiresAt;

    private ForkOptions(Builder b) {
        this.offset = b.offset;
        this.subOffset = b.subOffset;
        this.contentType = b.contentType;
        this.ttlSeconds = b.ttlSeconds;
        this.expiresAt = b.expiresAt;
    }

    /** A builder. */
    public static Builder newBuilder() {
        return new Builder();
    }

    String offset() {
        return offset;
    }

    long subOffset() {
        return subOffset;
    }

    String contentType() {
        return contentType;
    }

    Long ttlSeconds() {
        return ttlSeconds;
    }

    String expiresAt() {
        return expiresAt;
    }

    /** Builds {@link ForkOptions}. */
    public static final class Builder {
        private String offset;
        private long subOffset;
        private String contentType;
        private Long ttlSeconds;
        private String expiresAt;

        private Builder() {
        }

        /** The divergence point: an offset the server returned for the source. Default: its tail. */
        public Builder offset(String offset) {
            this.offset = Objects.requireNonNull(offset, "offset");
            return this;
        }

        /**
         * Messages (JSON streams) or bytes (others) past {@link #offset} to inherit as well
         * ({@code Stream-Fork-Sub-Offset}).
         */
        public Builder subOffset(long subOffset) {
            if (subOffset < 0) {
                throw new IllegalArgumentException("subOffset must be >= 0, was " + subOffset);
            }
            this.subOffset = subOffset;
            return this;
        }

        /** The fork's content type; must equal the source's. Default: inherited. */
        public Builder contentType(String contentType) {
            this.contentType = Objects.requireNonNull(contentType, "contentType");
            return this;
        }

        /** The fork's own sliding TTL. */
        public Builder ttlSeconds(long ttlSeconds) {
            if (ttlSeconds < 0) {
                throw new IllegalArgumentException("ttlSeconds must be >= 0, was " + ttlSeconds);
            }
            this.ttlSeconds = ttlSeconds;
            return this;
        }

        /** The fork's own absolute expiry (RFC 3339). */
        public Builder expiresAt(String rfc3339) {
            this.expiresAt = Objects.requireNonNull(rfc3339, "expiresAt");
            return this;
        }

        /** Builds the options. */
        public ForkOptions build() {
            if (ttlSeconds != null && expiresAt != null) {
                throw new IllegalArgumentException("ttlSeconds and expiresAt are mutually exclusive");
            }
            return new ForkOptions(this);
        }
    }
}
