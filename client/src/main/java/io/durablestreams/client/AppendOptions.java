package io.durablestreams.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Per-request settings of {@link DurableStream#append(byte[], AppendOptions)}. Immutable. */
public final class AppendOptions {
    /** No sequence, the handle's content type, no extra headers. */
    public static final AppendOptions DEFAULT = newBuilder().build();

    private final String seq;
    private final String contentType;
    private final String ifTailAt;
    private final boolean snapshot;
    private final Map<String, String> headers;
    private final Map<String, String> params;

    private AppendOptions(Builder b) {
        this.seq = b.seq;
        this.contentType = b.contentType;
        this.ifTailAt = b.ifTailAt;
        this.snapshot = b.snapshot;
        this.headers = Map.copyOf(b.headers);
        this.params = Map.copyOf(b.params);
    }

    /** A builder. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** The {@code Stream-Seq} value, or {@code null}. */
    public String seq() {
        return seq;
    }

    /** The content type override, or {@code null}. */
    public String contentType() {
        return contentType;
    }

    /** The tail a conditional append requires, or {@code null}; see {@link Builder#ifTailAt(String)}. */
    public String ifTailAt() {
        return ifTailAt;
    }

    /** Whether the append is a snapshot; see {@link Builder#snapshot(boolean)}. */
    public boolean snapshot() {
        return snapshot;
    }

    Map<String, String> headers() {
        return headers;
    }

    Map<String, String> params() {
        return params;
    }

    /** Builds {@link AppendOptions}. */
    public static final class Builder {
        private String seq;
        private String contentType;
        private String ifTailAt;
        private boolean snapshot;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> params = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * A writer sequence ({@code Stream-Seq}, §5.2): compared byte-wise, it must grow with every
         * append, or the server answers with {@link SequenceConflictException}. Zero-pad numbers.
         */
        public Builder seq(String seq) {
            this.seq = Objects.requireNonNull(seq, "seq");
            return this;
        }

        /** The request's content type; must match the stream's. Defaults to the handle's. */
        public Builder contentType(String contentType) {
            this.contentType = Objects.requireNonNull(contentType, "contentType");
            return this;
        }

        /**
         * Makes the append conditional (docs/extensions/conditional-appends.md): it lands only if the
         * stream's tail is still {@code offset} — the {@code Stream-Next-Offset} this writer last saw
         * (from {@link DurableStream#head()}, a read, or its previous append) — else nothing is
         * written and {@link TailMovedException} names the current tail. For read-modify-write
         * between writers without a lock; not combinable with an idempotent producer.
         */
        public Builder ifTailAt(String offset) {
            this.ifTailAt = Objects.requireNonNull(offset, "offset");
            return this;
        }

        /**
         * Marks the append as a snapshot ({@code Stream-Snapshot: true}, docs/extensions/retention.md):
         * its data stands for everything before it, so the server may drop what precedes it, and readers
         * from the beginning start at it. Default {@code false}.
         */
        public Builder snapshot(boolean snapshot) {
            this.snapshot = snapshot;
            return this;
        }

        /** An extra header for this request only. */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** An extra query parameter for this request only. */
        public Builder param(String name, String value) {
            params.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Builds the options. */
        public AppendOptions build() {
            return new AppendOptions(this);
        }
    }
}
