package io.durablestreams.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Settings of an {@link IdempotentProducer} (§5.2.1). Immutable; {@link Builder#build()} validates
 * every value and names the offending parameter in its message.
 */
public final class ProducerOptions {
    /** Default {@link #lingerMs()}. */
    public static final long DEFAULT_LINGER_MS = 5;
    /** Default {@link #maxBatchBytes()}: 1 MiB. */
    public static final long DEFAULT_MAX_BATCH_BYTES = 1 << 20;
    /** Default {@link #maxBatchItems()}. */
    public static final int DEFAULT_MAX_BATCH_ITEMS = 10_000;
    /** Default {@link #maxInFlight()}. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 5;
    /** Default {@link #maxBufferedBytes()}: 32 MiB. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 32L << 20;
    /** Default {@link #maxBlockMs()}: 60 s. */
    public static final long DEFAULT_MAX_BLOCK_MS = 60_000;

    private final String producerId;
    private final long epoch;
    private final boolean autoClaim;
    private final boolean deduplicateAcrossRuns;
    private final long lingerMs;
    private final long maxBatchBytes;
    private final int maxBatchItems;
    private final int maxInFlight;
    private final long maxBufferedBytes;
    private final long maxBlockMs;
    private final String contentType;
    private final Map<String, String> headers;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Consumer<DurableStreamException> onError;

    private ProducerOptions(Builder b) {
        this.producerId = b.producerId;
        this.epoch = b.epoch;
        this.autoClaim = b.autoClaim;
        this.deduplicateAcrossRuns = b.deduplicateAcrossRuns;
        this.lingerMs = b.lingerMs;
        this.maxBatchBytes = b.maxBatchBytes;
        this.maxBatchItems = b.maxBatchItems;
        this.maxInFlight = b.maxInFlight;
        this.maxBufferedBytes = b.maxBufferedBytes;
        this.maxBlockMs = b.maxBlockMs;
        this.contentType = b.contentType;
        this.headers = Map.copyOf(b.headers);
        this.executor = b.executor;
        this.scheduler = b.scheduler;
        this.onError = b.onError;
    }

    /** The callback told of the producer's first failure, or {@code null}. */
    public Consumer<DurableStreamException> onError() {
        return onError;
    }

    /** A builder for a producer with the given stable id. */
    public static Builder newBuilder(String producerId) {
        return new Builder(producerId);
    }

    /** The producer id. */
    public String producerId() {
        return producerId;
    }

    /** The starting epoch. */
    public long epoch() {
        return epoch;
    }

    /** Whether the producer claims the next epoch by itself when its epoch is taken. */
    public boolean autoClaim() {
        return autoClaim;
    }

    /** Whether batches an earlier run of this producer id and epoch already wrote count as written. */
    public boolean deduplicateAcrossRuns() {
        return deduplicateAcrossRuns;
    }

    /** How long an incomplete batch waits for more items, in milliseconds. */
    public long lingerMs() {
        return lingerMs;
    }

    /** Largest batch body in bytes (a single larger item is sent alone). */
    public long maxBatchBytes() {
        return maxBatchBytes;
    }

    /** Largest number of items in a batch. */
    public int maxBatchItems() {
        return maxBatchItems;
    }

    /** Largest number of batches awaiting a response at once. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** Bytes of items queued or in flight above which {@code append} blocks. */
    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    /** How long {@code append} blocks for buffer space before it throws. */
    public long maxBlockMs() {
        return maxBlockMs;
    }

    /** The content type of appends, or {@code null} to use the stream handle's. */
    public String contentType() {
        return contentType;
    }

    Map<String, String> headers() {
        return headers;
    }

    Executor executor() {
        return executor;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Builds {@link ProducerOptions}. */
    public static final class Builder {
        private final String producerId;
        private long epoch;
        private boolean autoClaim;
        private boolean deduplicateAcrossRuns;
        private long lingerMs = DEFAULT_LINGER_MS;
        private long maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
        private int maxBatchItems = DEFAULT_MAX_BATCH_ITEMS;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
        private long maxBlockMs = DEFAULT_MAX_BLOCK_MS;
        private String contentType;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Executor executor;
        private ScheduledExecutorService scheduler;
        private Consumer<DurableStreamException> onError;

        private Builder(String producerId) {
            this.producerId = producerId;
        }

        /** The epoch to start with ({@code >= 0}); bump it on every restart of a durable producer. */
        public Builder epoch(long epoch) {
            this.epoch = epoch;
            return this;
        }

        /**
         * Claim a new epoch instead of failing when this one is taken: when fenced (403), continue with
         * the server's epoch + 1; when the server already holds a batch's sequence number in this epoch
         * from another instance (see {@link ProducerDuplicateException}), continue with this epoch + 1.
         * Unacknowledged batches are then re-sent in order in the new epoch. Meant for ephemeral
         * producers without stored epochs, such as a program that always starts at epoch 0; two live
         * instances with autoClaim keep fencing each other, so use it only when at most one instance
         * runs at a time. Excludes {@link #deduplicateAcrossRuns}.
         */
        public Builder autoClaim(boolean autoClaim) {
            this.autoClaim = autoClaim;
            return this;
        }

        /**
         * Count batches whose sequence number the server already holds in this epoch from another
         * instance of this producer as written, instead of failing with
         * {@link ProducerDuplicateException}. For a run that deliberately re-sends, from the start and
         * with the same epoch, the same input as an earlier run cut into the same batches, to append
         * what that run did not (as {@code ds write --producer-id} does): the server keeps the earlier
         * run's copy of each batch it holds. {@link IdempotentProducer#deduplicatedItems()} counts the
         * items not written again. With different input, those items are silently not written: use it
         * only for deterministic re-runs. Excludes {@link #autoClaim}.
         */
        public Builder deduplicateAcrossRuns(boolean deduplicateAcrossRuns) {
            this.deduplicateAcrossRuns = deduplicateAcrossRuns;
            return this;
        }

        /** How long an incomplete batch waits for more items ({@code >= 0}); 0 sends each append at once. */
        public Builder lingerMs(long lingerMs) {
            this.lingerMs = lingerMs;
            return this;
        }

        /** Largest batch body in bytes ({@code > 0}). */
        public Builder maxBatchBytes(long maxBatchBytes) {
            this.maxBatchBytes = maxBatchBytes;
            return this;
        }

        /** Largest number of items per batch ({@code > 0}). */
        public Builder maxBatchItems(int maxBatchItems) {
            this.maxBatchItems = maxBatchItems;
            return this;
        }

        /** Largest number of batches in flight at once ({@code >= 1}); 1 disables pipelining. */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /**
         * Backpressure: once items of this many bytes ({@code >= 1}) are queued or in flight,
         * {@code append} blocks until acknowledgements free space, so a writer faster than the
         * network or the server cannot exhaust memory. One item always fits, whatever its size.
         */
        public Builder maxBufferedBytes(long maxBufferedBytes) {
            if (maxBufferedBytes < 1) {
                throw new IllegalArgumentException("maxBufferedBytes must be >= 1: " + maxBufferedBytes);
            }
            this.maxBufferedBytes = maxBufferedBytes;
            return this;
        }

        /** How long ({@code >= 0} ms) a blocked {@code append} waits before it throws {@link ProducerBufferFullException}. */
        public Builder maxBlockMs(long maxBlockMs) {
            if (maxBlockMs < 0) {
                throw new IllegalArgumentException("maxBlockMs must be >= 0: " + maxBlockMs);
            }
            this.maxBlockMs = maxBlockMs;
            return this;
        }

        /** The content type of appends; default: the stream handle's. */
        public Builder contentType(String contentType) {
            this.contentType = Objects.requireNonNull(contentType, "contentType");
            return this;
        }

        /** An extra header on every request of this producer. */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Runs the blocking HTTP sends; default: a private pool of daemon threads, shut down on close. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Told of the producer's first failure as soon as it happens, once, with the exception that
         * {@code append}, {@code flush} and {@code close} throw from then on: for applications that append
         * without flushing and want to learn of a failed batch at once. Runs on a producer thread and must
         * not block or call the producer.
         */
        public Builder onError(Consumer<DurableStreamException> onError) {
            this.onError = Objects.requireNonNull(onError, "onError");
            return this;
        }

        /** Runs linger timers; default: a private daemon thread, shut down on close. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Validates and builds the options.
         *
         * @throws IllegalArgumentException naming the offending parameter
         */
        public ProducerOptions build() {
            if (producerId == null || producerId.isEmpty()) {
                throw new IllegalArgumentException("producerId must be a non-empty string");
            }
            if (epoch < 0 || epoch > (1L << 53) - 1) {
                throw new IllegalArgumentException("epoch must be between 0 and 2^53-1, was " + epoch);
            }
            if (lingerMs < 0) {
                throw new IllegalArgumentException("lingerMs must be >= 0, was " + lingerMs);
            }
            if (maxBatchBytes <= 0) {
                throw new IllegalArgumentException("maxBatchBytes must be > 0, was " + maxBatchBytes);
            }
            if (maxBatchItems <= 0) {
                throw new IllegalArgumentException("maxBatchItems must be > 0, was " + maxBatchItems);
            }
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
            }
            if (autoClaim && deduplicateAcrossRuns) {
                throw new IllegalArgumentException("autoClaim and deduplicateAcrossRuns exclude each other: a batch"
                        + " an earlier run already wrote is either written again in a new epoch or not at all");
            }
            return new ProducerOptions(this);
        }
    }
}
