package io.durablestreams.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Settings of {@link DurableStream#read(ReadOptions)}. Immutable. */
public final class ReadOptions {
    private final String offset;
    private final LiveMode live;
    private final Map<String, String> headers;
    private final Map<String, String> params;
    private final boolean sseFallback;
    private final ResetHandler onReset;
    private final RestartMode restartMode;

    private ReadOptions(Builder b) {
        this.offset = b.offset;
        this.live = b.live;
        this.headers = Map.copyOf(b.headers);
        this.params = Map.copyOf(b.params);
        this.sseFallback = b.sseFallback;
        this.onReset = b.onReset;
        this.restartMode = b.restartMode;
    }

    /** A builder: from the beginning, catch-up only. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** Where the read starts. */
    public String offset() {
        return offset;
    }

    /** The live mode. */
    public LiveMode live() {
        return live;
    }

    /** Whether SSE may fall back to long-poll. */
    public boolean sseFallback() {
        return sseFallback;
    }

    /** Decides whether a read of a restartable stream restarts after a reset. */
    public ResetHandler onReset() {
        return onReset;
    }

    /** Where a restarted read continues. */
    public RestartMode restartMode() {
        return restartMode;
    }

    Map<String, String> headers() {
        return headers;
    }

    Map<String, String> params() {
        return params;
    }

    /** Builds {@link ReadOptions}. */
    public static final class Builder {
        private String offset = Offsets.BEGINNING;
        private LiveMode live = LiveMode.OFF;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> params = new LinkedHashMap<>();
        private boolean sseFallback = true;
        private ResetHandler onReset = ResetHandler.ALWAYS_RESTART;
        private RestartMode restartMode = RestartMode.HARD;

        private Builder() {
        }

        /** {@link Offsets#BEGINNING}, {@link Offsets#NOW} or an offset the server returned. */
        public Builder offset(String offset) {
            Objects.requireNonNull(offset, "offset");
            if (offset.isEmpty()) {
                throw new IllegalArgumentException("offset must not be empty");
            }
            this.offset = offset;
            return this;
        }

        /** The live mode; default {@link LiveMode#OFF}. */
        public Builder live(LiveMode live) {
            this.live = Objects.requireNonNull(live, "live");
            return this;
        }

        /** An extra header for every request of this read. */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** An extra query parameter for every request of this read. */
        public Builder param(String name, String value) {
            params.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Whether {@link LiveMode#SSE} may switch to long-poll when SSE does not work through the
         * network path (wrong content type, or connections that keep ending without delivering events).
         * Default {@code true}; when {@code false} such a response fails with {@link ParseException}.
         */
        public Builder sseFallback(boolean sseFallback) {
            this.sseFallback = sseFallback;
            return this;
        }

        /**
         * What to do when the stream was deleted and recreated under this read (stream-incarnations
         * extension). For a stream created with {@code Stream-Restartable: true} the handler is asked; if
         * it agrees (the default handler always does) the read restarts at {@link #restartMode} and the
         * next chunk has {@link Chunk#reset()} set. If it vetoes, and always for other streams, the read
         * fails with {@link StreamResetException}.
         */
        public Builder onReset(ResetHandler onReset) {
            this.onReset = Objects.requireNonNull(onReset, "onReset");
            return this;
        }

        /** Where a restarted read continues; default {@link RestartMode#HARD} (from the beginning). */
        public Builder restartMode(RestartMode restartMode) {
            this.restartMode = Objects.requireNonNull(restartMode, "restartMode");
            return this;
        }

        /** Builds the options. */
        public ReadOptions build() {
            return new ReadOptions(this);
        }
    }
}
