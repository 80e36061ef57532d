package io.durablestreams.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of {@link DurableStream#create(CreateOptions)} (§5.1). Immutable; build with
 * {@link #newBuilder()}.
 */
public final class CreateOptions {
    private final String contentType;
    private final Long ttlSeconds;
    private final String expiresAt;
    private final boolean closed;
    private final boolean restartable;
    private final Long retentionAgeSeconds;
    private final Long retentionBytes;
    private final byte[] body;
    private final Map<String, String> headers;

    private CreateOptions(Builder b) {
        this.contentType = b.contentType;
        this.ttlSeconds = b.ttlSeconds;
        this.expiresAt = b.expiresAt;
        this.closed = b.closed;
        this.restartable = b.restartable;
        this.retentionAgeSeconds = b.retentionAgeSeconds;
        this.retentionBytes = b.retentionBytes;
        this.body = b.body;
        this.headers = Map.copyOf(b.headers);
    }

    /** A builder; by default the stream is {@code application/octet-stream}, open, without expiry. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** The stream's content type. */
    public String contentType() {
        return contentType;
    }

    /** The sliding TTL in seconds, or {@code null}. */
    public Long ttlSeconds() {
        return ttlSeconds;
    }

    /** The absolute expiry (RFC 3339), or {@code null}. */
    public String expiresAt() {
        return expiresAt;
    }

    /** Whether the stream is created already closed. */
    public boolean closed() {
        return closed;
    }

    /** Whether readers may restart on their own when the stream is recreated ({@code Stream-Restartable}). */
    public boolean restartable() {
        return restartable;
    }

    /** Retention by age ({@code Stream-Retention-Age}), or {@code null}. */
    public Long retentionAgeSeconds() {
        return retentionAgeSeconds;
    }

    /** Retention by size ({@code Stream-Retention-Bytes}), or {@code null}. */
    public Long retentionBytes() {
        return retentionBytes;
    }

    byte[] body() {
        return body;
    }

    Map<String, String> headers() {
        return headers;
    }

    /** Builds {@link CreateOptions}. */
    public static final class Builder {
        private String contentType = ProtocolHeaders.OCTET_STREAM;
        private Long ttlSeconds;
        private String expiresAt;
        private boolean closed;
        private boolean restartable;
        private Long retentionAgeSeconds;
        private Long retentionBytes;
        private byte[] body;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder() {
        }

        /** The stream's content type, for example {@code application/json} for JSON mode (§9.1). */
        public Builder contentType(String contentType) {
            this.contentType = Objects.requireNonNull(contentType, "contentType");
            return this;
        }

        /** A sliding time-to-live: the stream expires after this many idle seconds. */
        public Builder ttlSeconds(long ttlSeconds) {
            if (ttlSeconds < 0) {
                throw new IllegalArgumentException("ttlSeconds must be >= 0, was " + ttlSeconds);
            }
            this.ttlSeconds = ttlSeconds;
            return this;
        }

        /** An absolute expiry time. */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").toString();
            return this;
        }

        /** An absolute expiry time as an RFC 3339 string, passed through unchanged. */
        public Builder expiresAt(String rfc3339) {
            this.expiresAt = Objects.requireNonNull(rfc3339, "expiresAt");
            return this;
        }

        /** Create the stream closed: the initial body (if any) is all it will ever hold. */
        public Builder closed(boolean closed) {
            this.closed = closed;
            return this;
        }

        /**
         * Declares the stream restartable ({@code Stream-Restartable: true}, stream-incarnations
         * extension): if it is ever deleted and created again, readers that hold its offsets restart
         * from the new incarnation instead of failing with {@link StreamResetException}. Suits streams
         * whose consumers can rebuild their state from scratch (caches, live views). Default
         * {@code false}.
         */
        public Builder restartable(boolean restartable) {
            this.restartable = restartable;
            return this;
        }

        /**
         * Keeps only what was appended in the last {@code seconds} ({@code Stream-Retention-Age},
         * docs/extensions/retention.md); older appends become unreadable (410) and their space is freed.
         */
        public Builder retentionAgeSeconds(long seconds) {
            if (seconds < 1) {
                throw new IllegalArgumentException("retentionAgeSeconds must be >= 1, was " + seconds);
            }
            this.retentionAgeSeconds = seconds;
            return this;
        }

        /** Keeps about the last {@code bytes} bytes, in whole appends ({@code Stream-Retention-Bytes}). */
        public Builder retentionBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("retentionBytes must be >= 1, was " + bytes);
            }
            this.retentionBytes = bytes;
            return this;
        }

        /** Initial content. */
        public Builder body(byte[] body) {
            this.body = Objects.requireNonNull(body, "body").clone();
            return this;
        }

        /** Initial content, UTF-8 encoded. */
        public Builder body(String text) {
            this.body = Objects.requireNonNull(text, "text").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return this;
        }

        /** An extra header for this request only. */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Builds the options. */
        public CreateOptions build() {
            if (ttlSeconds != null && expiresAt != null) {
                throw new IllegalArgumentException("ttlSeconds and expiresAt are mutually exclusive");
            }
            return new CreateOptions(this);
        }
    }
}
