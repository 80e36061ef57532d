package io.durablestreams.client;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Exactly-once appends to one stream (§5.2.1): items are batched, each batch is sent with
 * {@code (producerId, epoch, seq)}, and the server drops duplicates, so network failures can be retried
 * freely without duplicating data.
 *
 * <pre>{@code
 * try (IdempotentProducer producer = stream.producer(ProducerOptions.newBuilder("orders-1").epoch(7).build())) {
 *     for (Order o : orders) producer.appendJson(o);
 *     producer.flush();                        // throws if any batch failed
 *     saveCheckpoint(producer.lastOffset());
 * }
 * }</pre>
 *
 * <p>{@link #append} only queues: it returns at once (unless {@link ProducerOptions#maxBufferedBytes()}
 * of items await acknowledgement: then it blocks, see {@link ProducerBufferFullException}), and
 * failures surface in {@link #flush()} and {@link #close()}. After a failure the producer is unusable ({@code append} and {@code flush} rethrow
 * it); create a new one, with a higher epoch if the failure was a fence ({@link StaleEpochException}).
 *
 * <p>Each instance needs an epoch no other instance of the producer id used: a run that starts at an
 * epoch an earlier run already wrote in would otherwise have its batches taken for retries of that run's
 * and dropped. The producer notices (the server calls its very first try of a batch a duplicate) and
 * fails with {@link ProducerDuplicateException}, or, with {@link ProducerOptions.Builder#autoClaim autoClaim},
 * claims the next epoch and writes the batch there (see also
 * {@link ProducerOptions.Builder#deduplicateAcrossRuns deduplicateAcrossRuns}).
 *
 * <p>Incarnations (stream-incarnations extension): the producer pins the incarnation of its stream
 * handle (or, if the handle has none, the one its first acknowledged batch reports) and every batch
 * carries it, so it never writes into a stream that was deleted and created again under the same URL.
 * If that happens it fails with {@link IncarnationChangedException}, which lists every item that was
 * not delivered; {@link #continueOnNewIncarnation()} then lets it write to the new stream.
 *
 * <p>Thread-safe: appends from several threads are ordered as they acquire the producer's lock. The
 * producer owns two kinds of daemon threads (HTTP sends, linger timer) unless you supply executors in
 * {@link ProducerOptions}; {@link #close()} releases them.
 */
public final class IdempotentProducer implements AutoCloseable {
    private final DurableStream stream;
    private final ProducerOptions options;
    private final JsonCodec json;
    private final boolean jsonMode;
    private final HttpBatchSender sender;
    private final ProducerPipeline pipeline;
    private final ExecutorService ownExecutor;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final Object lock = new Object();
    private final BatchAccumulator accumulator;
    private boolean lingerScheduled;
    private boolean closed;
    private ProducerPipeline.Attempt closeAttempt;
    private String closeOffset;
    /** The pipeline failure last thrown to the caller, so that {@link #close()} does not throw it again. */
    private volatile DurableStreamException thrownFailure;

    IdempotentProducer(DurableStream stream, ProducerOptions options, JsonCodec json) {
        this.stream = stream;
        this.options = options;
        this.json = json;
        String contentType = options.contentType() != null ? options.contentType() : stream.effectiveContentType();
        this.jsonMode = ProtocolHeaders.isJson(contentType);
        Executor executor = options.executor();
        this.ownExecutor = executor == null ? Executors.newCachedThreadPool(daemon("durable-streams-producer")) : null;
        this.sender = new HttpBatchSender(stream, options.producerId(), contentType, options.headers(),
                executor != null ? executor : ownExecutor);
        this.pipeline = new ProducerPipeline(sender, options, stream.url(), stream.incarnation());
        this.ownScheduler = options.scheduler() == null;
        this.scheduler = ownScheduler
                ? Executors.newSingleThreadScheduledExecutor(daemon("durable-streams-linger"))
                : options.scheduler();
        this.accumulator = new BatchAccumulator(jsonMode, options.maxBatchBytes(), options.maxBatchItems());
    }

    /** The producer id. */
    public String producerId() {
        return options.producerId();
    }

    /** The current epoch: the configured one, or a later one claimed by autoClaim. */
    public long epoch() {
        return pipeline.epoch();
    }

    /**
     * The greatest {@code Stream-Next-Offset} acknowledged so far, or {@code null}. Monotonic even when
     * pipelined responses complete out of order; after {@link #flush()} it covers everything appended.
     */
    public String lastOffset() {
        return pipeline.lastOffset();
    }

    /**
     * Items this producer did not write because the server already held their batch from an earlier
     * run of the same producer id and epoch; only with {@link ProducerOptions#deduplicateAcrossRuns()},
     * otherwise such a batch fails the producer or, with autoClaim, is written in a new epoch. Retries of
     * this producer's own requests are not counted.
     */
    public long deduplicatedItems() {
        return pipeline.deduplicatedItems();
    }

    /**
     * Items appended but not yet acknowledged by the server (nor failed): waiting to be batched, queued
     * or in flight. Zero after a successful {@link #flush()}.
     */
    public long pendingCount() {
        synchronized (lock) {
            return accumulator.size() + pipeline.pendingItems();
        }
    }

    /**
     * The {@code Producer-Seq} the next batch will carry in the current {@link #epoch()}: the number of
     * batches sent in this epoch so far. For logs and diagnostics; the producer assigns it itself.
     */
    public long nextSeq() {
        return pipeline.nextSeq();
    }

    /** The incarnation this producer writes to, or {@code null} while none is known. */
    public String incarnation() {
        return pipeline.incarnation();
    }

    /** Queues UTF-8 text; see {@link #append(byte[])}. */
    public void append(String text) {
        append(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
    }

    /** Queues one JSON value as one message of a JSON stream, serialized with the client's codec. */
    public void appendJson(Object value) {
        append(json.stringify(value).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Queues one item. On a JSON stream the item must be one JSON value: it becomes one message. On
     * other streams items are concatenated.
     *
     * @throws IllegalArgumentException on a JSON stream, if the item is not valid JSON
     * @throws IllegalStateException if the producer was closed
     * @throws DurableStreamException if an earlier batch failed
     */
    public void append(byte[] item) {
        Objects.requireNonNull(item, "item");
        if (item.length == 0) {
            throw new IllegalArgumentException("item must not be empty");
        }
        if (jsonMode) {
            try {
                SimpleJsonCodec.INSTANCE.parse(new String(item, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("item is not valid JSON: " + e.getMessage(), e);
            }
        }
        throwIfFailed();
        awaitBufferSpace();
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("producer " + options.producerId() + " is closed");
            }
            for (Batch b : accumulator.add(item)) {
                pipeline.enqueue(b, false);
            }
            if (options.lingerMs() == 0) {
                enqueueAccumulated();
            } else if (!accumulator.isEmpty() && !lingerScheduled) {
                lingerScheduled = true;
                scheduler.schedule(this::lingerExpired, options.lingerMs(), TimeUnit.MILLISECONDS);
            }
        }
        pipeline.pump();
    }

    private void lingerExpired() {
        synchronized (lock) {
            lingerScheduled = false;
            enqueueAccumulated();
        }
        pipeline.pump();
    }

    /** Must hold {@link #lock}, so that batches enter the pipeline in append order. */
    private void enqueueAccumulated() {
        Batch b = accumulator.drain();
        if (b != null) {
            pipeline.enqueue(b, false);
        }
    }

    /**
     * Sends everything queued and waits until the server acknowledged it.
     *
     * @throws IncarnationChangedException if the stream was recreated: nothing more was written, and the
     *         exception lists every item that was not delivered
     * @throws DurableStreamException the first failure of any batch (this call's or an earlier one's)
     * @throws ReadCancelledException if the thread is interrupted while waiting
     */
    public void flush() {
        drain();
        throwIfFailed();
    }

    /** Backpressure: blocks while {@link ProducerOptions#maxBufferedBytes()} are queued or in flight. */
    private void awaitBufferSpace() {
        try {
            if (!pipeline.awaitPendingBelow(options.maxBufferedBytes(), options.maxBlockMs(), TimeUnit.MILLISECONDS)) {
                throw new ProducerBufferFullException("producer " + options.producerId() + ": "
                        + options.maxBufferedBytes() + " bytes still unacknowledged after " + options.maxBlockMs() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProducerBufferFullException("producer " + options.producerId() + ": interrupted while waiting for buffer space");
        }
        throwIfFailed();
    }

    /** Sends everything accumulated and waits until no batch is pending. */
    private void drain() {
        synchronized (lock) {
            enqueueAccumulated();
        }
        pipeline.pump();
        try {
            pipeline.awaitIdle(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadCancelledException("flush of producer " + options.producerId() + " interrupted", 0,
                    stream.url(), e);
        }
    }

    /**
     * After an {@link IncarnationChangedException}: pins the stream's new incarnation and continues on
     * it with the next epoch at sequence 0, as a fresh producer would. Nothing is re-sent: append again
     * whatever of {@link IncarnationChangedException#undeliveredItems()} belongs in the new stream.
     *
     * @throws IllegalStateException if the producer has not failed with an incarnation change
     * @throws ReadCancelledException if the thread is interrupted while in-flight batches complete
     */
    public void continueOnNewIncarnation() {
        drain();
        if (!(pipeline.failure() instanceof IncarnationChangedException changed)) {
            throw new IllegalStateException("producer " + options.producerId()
                    + " has not failed with an incarnation change: " + pipeline.failure());
        }
        pipeline.continueOn(changed.currentIncarnation(), pipeline.epoch() + 1);
    }

    /** Closes the stream, after flushing; see {@link #closeStream(byte[])}. */
    public AppendResult closeStream() {
        return closeStream(null);
    }

    /**
     * Flushes, then appends {@code finalData} (if any) and closes the stream in one request carrying this
     * producer's coordinates, so that a retry is deduplicated. Calling it again re-sends the very same
     * request: it succeeds without appending anything, even with different {@code finalData}.
     *
     * @throws StreamClosedException if the stream was closed by someone else
     */
    public AppendResult closeStream(byte[] finalData) {
        ProducerPipeline.Attempt previous;
        synchronized (lock) {
            previous = closeAttempt;
        }
        if (previous != null) {
            ProducerPipeline.Outcome outcome = sender.sendNow(previous);
            if (outcome instanceof ProducerPipeline.Outcome.Accepted a) {
                return new AppendResult(a.nextOffset() != null ? a.nextOffset() : closeOffset, true);
            }
            throw errorOf(outcome);
        }
        flush();
        Batch finalBatch = finalData == null || finalData.length == 0 ? Batch.empty(jsonMode)
                : new Batch(java.util.List.of(finalData), jsonMode);
        ProducerPipeline.Entry entry = pipeline.enqueue(finalBatch, true);
        pipeline.pump();
        flush();
        if (!entry.succeeded()) {
            throwIfFailed();
        }
        synchronized (lock) {
            closeAttempt = new ProducerPipeline.Attempt(finalBatch, entry.epoch, entry.seq, true,
                    pipeline.incarnation());
            closeOffset = entry.resultOffset;
        }
        return new AppendResult(entry.resultOffset, true);
    }

    private static DurableStreamException errorOf(ProducerPipeline.Outcome outcome) {
        if (outcome instanceof ProducerPipeline.Outcome.Stale s) {
            return s.error();
        }
        if (outcome instanceof ProducerPipeline.Outcome.Gap g) {
            return g.error();
        }
        return ((ProducerPipeline.Outcome.Failed) outcome).error();
    }

    private void throwIfFailed() {
        DurableStreamException failure = pipeline.failure();
        if (failure != null) {
            thrownFailure = failure;
        }
        if (failure instanceof IncarnationChangedException) {
            // The list of undelivered items is complete only once nothing is pending any more.
            drain();
            throw ((IncarnationChangedException) pipeline.failure()).withUndelivered(pipeline.undeliveredItems());
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Flushes and releases the producer's threads. Does not close the stream (see
     * {@link #closeStream}). Idempotent.
     *
     * @throws DurableStreamException if a batch failed, unless {@code append} or {@code flush} already
     *         threw that failure (the threads are released anyway)
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        DurableStreamException alreadyThrown = thrownFailure;
        try {
            flush();
        } catch (DurableStreamException e) {
            // Thrown again from close, the very exception a flush in the same try-with-resources threw
            // would make Java replace it with "IllegalArgumentException: Self-suppression not permitted".
            if (alreadyThrown == null || pipeline.failure() != alreadyThrown) {
                throw e;
            }
        } finally {
            if (ownExecutor != null) {
                ownExecutor.shutdown();
            }
            if (ownScheduler) {
                scheduler.shutdownNow();
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
