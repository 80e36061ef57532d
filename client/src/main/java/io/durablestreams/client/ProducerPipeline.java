package io.durablestreams.client;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The sequencing state machine of an {@link IdempotentProducer} (§5.2.1), free of I/O so that it can be
 * tested with any interleaving of responses.
 *
 * <p>Batches are queued in order. Dispatch assigns each the current epoch and the next sequence number
 * and hands it to the {@link BatchSender}; up to {@code maxInFlight} are outstanding. Outcomes:
 * <ul>
 *   <li>accepted (200), or duplicate (204) of a try of ours whose answer was lost: done; the producer's
 *       offset advances monotonically;</li>
 *   <li>duplicate (204) that cannot be ours, because no earlier try of the batch at these coordinates
 *       may have been applied: another instance of the producer (an earlier run) used this epoch. With
 *       autoClaim it is handled like a stale epoch (below) in epoch {@code epoch + 1}; with
 *       deduplicateAcrossRuns the batch counts as written by that run; otherwise the producer fails
 *       with {@link ProducerDuplicateException};</li>
 *   <li>sequence gap (409): a pipelined predecessor has not arrived yet; the batch is re-sent, with the
 *       same sequence number, once every predecessor is acknowledged (bounded by
 *       {@value #MAX_GAP_RETRIES} tries);</li>
 *   <li>stale epoch (403) with autoClaim: dispatch stops, outstanding requests drain, then every
 *       unacknowledged batch is re-sequenced from 0 in epoch {@code serverEpoch + 1}, in original
 *       order;</li>
 *   <li>anything else: the producer fails; queued batches fail with it.</li>
 * </ul>
 * <b>Incarnation:</b> every attempt carries the pinned incarnation (the stream handle's, or the one
 * the first acknowledgement reports). A 412 fails the producer like any other error; the failed
 * batches are kept, in append order, for {@link #undeliveredItems()}, until
 * {@link #continueOn(String, long)} starts over on the new incarnation.
 * <b>Claim barrier:</b> while the epoch is not confirmed (before the first accepted batch, and after a
 * re-claim), only one batch is in flight and no other batch has a sequence number, so a claim never
 * strands pipelined batches in the old epoch, and a producer whose epoch another instance already used
 * fails, or moves to a new epoch, before any later batch of it is written in the old one.
 *
 * <p>Thread-safe. One lock guards all state; it is never held while calling the sender.
 */
final class ProducerPipeline {
    static final int MAX_GAP_RETRIES = 8;

    /** A request to send one batch with the given producer coordinates. */
    record Attempt(Batch batch, long epoch, long seq, boolean closeStream, String incarnation) {
    }

    /** What the server said about one attempt. */
    sealed interface Outcome {
        /**
         * 200 (new data) or 204 (the server already held this sequence number), with the stream's
         * incarnation if sent; {@code resentAfterUnknownOutcome}: an earlier try of this attempt may have
         * been applied (see {@link Call#resentAfterUnknownOutcome()}).
         */
        record Accepted(String nextOffset, boolean duplicate, String incarnation, boolean resentAfterUnknownOutcome)
                implements Outcome {
            /** At the first try, from a server without the stream-incarnations extension. */
            Accepted(String nextOffset, boolean duplicate) {
                this(nextOffset, duplicate, null, false);
            }
        }

        /** 403: fenced by {@code serverEpoch}. */
        record Stale(StaleEpochException error) implements Outcome {
        }

        /** 409 with expected/received sequence numbers; {@code resentAfterUnknownOutcome} as in {@link Accepted}. */
        record Gap(SequenceGapException error, boolean resentAfterUnknownOutcome) implements Outcome {
            /** At the first try. */
            Gap(SequenceGapException error) {
                this(error, false);
            }
        }

        /** Any other failure, after the transport's retries. */
        record Failed(DurableStreamException error) implements Outcome {
        }
    }

    /**
     * Sends attempts. Must call {@code onOutcome} exactly once per attempt, from any thread; it may
     * call it synchronously.
     */
    interface BatchSender {
        void send(Attempt attempt, Consumer<Outcome> onOutcome);
    }

    private enum State { QUEUED, IN_FLIGHT, WAITING_FOR_PREDECESSORS, NEEDS_NEW_EPOCH, DONE, FAILED }

    /** One batch and its progress. */
    static final class Entry {
        final Batch batch;
        final boolean closeStream;
        /** Position in append order, to list undelivered batches in that order. */
        final long ordinal;
        long epoch;
        long seq;
        private State state = State.QUEUED;
        private int gapRetries;
        /**
         * Whether a try at the current (epoch, seq) may have been applied without our seeing the answer;
         * only then is a duplicate answer our own.
         */
        private boolean mayBeStored;
        String resultOffset;

        Entry(Batch batch, boolean closeStream, long ordinal) {
            this.batch = batch;
            this.closeStream = closeStream;
            this.ordinal = ordinal;
        }

        boolean succeeded() {
            return state == State.DONE;
        }
    }

    private final BatchSender sender;
    private final String producerId;
    private final URI url;
    private final boolean autoClaim;
    private final boolean deduplicateAcrossRuns;
    private final int maxInFlight;
    private final Consumer<DurableStreamException> onError;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Entry> queued = new ArrayDeque<>();
    private final List<Entry> sequenced = new ArrayList<>();
    private final List<Entry> failed = new ArrayList<>();
    private long enqueued;
    /** Item bytes of the batches not yet acknowledged or failed; written under the lock, read without it on the fast path. */
    private volatile long pendingBytes;
    /** Items of those batches; same discipline as pendingBytes. */
    private volatile long pendingItems;
    private String incarnation;
    private long epoch;
    private long nextSeq;
    private boolean epochConfirmed;
    private boolean reclaiming;
    private long reclaimEpoch;
    private int inFlight;
    private DurableStreamException failure;
    private String lastOffset;
    private long deduplicatedItems;

    /**
     * @param options     the producer's id, starting epoch, autoClaim, deduplicateAcrossRuns and maxInFlight
     * @param url         the stream, for error messages
     * @param incarnation the incarnation to pin, or {@code null} to pin the first one reported
     */
    ProducerPipeline(BatchSender sender, ProducerOptions options, URI url, String incarnation) {
        this.sender = sender;
        this.producerId = options.producerId();
        this.url = url;
        this.epoch = options.epoch();
        this.incarnation = incarnation;
        this.autoClaim = options.autoClaim();
        this.deduplicateAcrossRuns = options.deduplicateAcrossRuns();
        this.maxInFlight = options.maxInFlight();
        this.onError = options.onError();
    }

    /** Items appended to batches that are neither acknowledged nor failed yet. */
    long pendingItems() {
        return pendingItems;
    }

    /** The sequence number the next batch sent in the current epoch will carry. */
    long nextSeq() {
        lock.lock();
        try {
            return nextSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a batch without dispatching; call {@link #pump()} afterwards (outside caller locks). */
    Entry enqueue(Batch batch, boolean closeStream) {
        Entry e;
        lock.lock();
        try {
            e = new Entry(batch, closeStream, enqueued++);
            pendingBytes += batch.itemBytes();
            pendingItems += batch.items().size();
            if (failure != null) {
                markFailed(e);
            } else {
                queued.add(e);
            }
        } finally {
            lock.unlock();
        }
        return e;
    }

    /** Dispatches whatever the window allows. */
    void pump() {
        List<Entry> toSend = new ArrayList<>();
        String pinned;
        lock.lock();
        try {
            if (reclaiming && inFlight == 0) {
                startNewEpoch();
            }
            if (failure != null) {
                failAllWaiting();
            } else if (!reclaiming) {
                if (!sequenced.isEmpty()) {
                    Entry first = sequenced.get(0);
                    if (first.state == State.WAITING_FOR_PREDECESSORS) {
                        first.state = State.IN_FLIGHT;
                        inFlight++;
                        toSend.add(first);
                    }
                }
                while (!queued.isEmpty() && windowOpen()) {
                    Entry e = queued.poll();
                    e.epoch = epoch;
                    e.seq = nextSeq++;
                    e.state = State.IN_FLIGHT;
                    inFlight++;
                    sequenced.add(e);
                    toSend.add(e);
                }
            }
            pinned = incarnation;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Entry e : toSend) {
            sender.send(new Attempt(e.batch, e.epoch, e.seq, e.closeStream, pinned), outcome -> onOutcome(e, outcome));
        }
    }

    private boolean windowOpen() {
        return epochConfirmed ? inFlight < maxInFlight : inFlight == 0 && sequenced.isEmpty();
    }

    private void startNewEpoch() {
        List<Entry> redo = new ArrayList<>();
        for (Entry e : sequenced) {
            if (e.state != State.DONE && e.state != State.FAILED) {
                e.state = State.QUEUED;
                e.mayBeStored = false; // the new coordinates have not been tried yet
                redo.add(e);
            }
        }
        for (int i = redo.size() - 1; i >= 0; i--) {
            queued.addFirst(redo.get(i));
        }
        sequenced.clear();
        epoch = reclaimEpoch;
        nextSeq = 0;
        epochConfirmed = false;
        reclaiming = false;
    }

    private void failAllWaiting() {
        sequenced.removeIf(e -> {
            if (e.state != State.IN_FLIGHT) {
                markFailed(e);
                return true;
            }
            return false;
        });
        for (Entry e : queued) {
            markFailed(e);
        }
        queued.clear();
        reclaiming = false;
    }

    void onOutcome(Entry e, Outcome outcome) {
        DurableStreamException newFailure = null;
        lock.lock();
        try {
            boolean failedBefore = failure != null;
            inFlight--;
            if (outcome instanceof Outcome.Accepted a && a.duplicate() && !e.mayBeStored
                    && !a.resentAfterUnknownOutcome() && !deduplicateAcrossRuns) {
                // Nothing of ours at these coordinates can have been applied: another instance wrote them.
                if (autoClaim && failure == null) {
                    e.state = State.NEEDS_NEW_EPOCH;
                    reclaimEpoch = Math.max(reclaimEpoch, epoch + 1);
                    reclaiming = true;
                } else {
                    fail(e, new ProducerDuplicateException(producerId, e.epoch, e.seq, url));
                }
            } else if (outcome instanceof Outcome.Accepted a) {
                if (a.duplicate() && !e.mayBeStored && !a.resentAfterUnknownOutcome()) {
                    deduplicatedItems += e.batch.items().size();
                }
                e.state = State.DONE;
                pendingBytes -= e.batch.itemBytes();
                pendingItems -= e.batch.items().size();
                e.resultOffset = a.nextOffset();
                epochConfirmed = true;
                if (incarnation == null) {
                    incarnation = a.incarnation();
                }
                if (a.nextOffset() != null && (lastOffset == null || a.nextOffset().compareTo(lastOffset) > 0)) {
                    lastOffset = a.nextOffset();
                }
                sequenced.remove(e);
            } else if (outcome instanceof Outcome.Stale s && autoClaim && failure == null) {
                e.state = State.NEEDS_NEW_EPOCH;
                reclaimEpoch = Math.max(reclaimEpoch, Math.max(s.error().currentEpoch(), epoch) + 1);
                reclaiming = true;
            } else if (outcome instanceof Outcome.Gap g) {
                e.mayBeStored |= g.resentAfterUnknownOutcome();
                if (reclaiming) {
                    e.state = State.NEEDS_NEW_EPOCH;
                } else if (failure != null || ++e.gapRetries > MAX_GAP_RETRIES) {
                    fail(e, g.error());
                } else {
                    e.state = State.WAITING_FOR_PREDECESSORS;
                }
            } else {
                fail(e, errorOf(outcome));
            }
            if (!failedBefore && failure != null) {
                newFailure = failure;
            }
        } finally {
            lock.unlock();
        }
        if (newFailure != null && onError != null) {
            onError.accept(newFailure); // outside the lock: the callback may take its own
        }
        pump();
    }

    private void fail(Entry e, DurableStreamException error) {
        markFailed(e);
        sequenced.remove(e);
        if (failure == null) {
            failure = error;
        }
    }

    private void markFailed(Entry e) {
        e.state = State.FAILED;
        pendingBytes -= e.batch.itemBytes();
        pendingItems -= e.batch.items().size();
        failed.add(e);
    }

    private static DurableStreamException errorOf(Outcome outcome) {
        if (outcome instanceof Outcome.Stale s) {
            return s.error();
        }
        if (outcome instanceof Outcome.Failed f) {
            return f.error();
        }
        return ((Outcome.Gap) outcome).error();
    }

    /**
     * Blocks while batches of {@code limit} bytes or more are pending (queued or in flight) and
     * the producer has not failed.
     *
     * @return {@code false} if the timeout elapsed first
     */
    boolean awaitPendingBelow(long limit, long timeout, TimeUnit unit) throws InterruptedException {
        return pendingBytes < limit || await(() -> pendingBytes < limit || failure != null, unit.toNanos(timeout));
    }

    /**
     * Blocks until every queued batch is acknowledged or failed.
     *
     * @return {@code false} if the timeout elapsed first
     */
    boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        return await(() -> queued.isEmpty() && sequenced.isEmpty() && inFlight == 0 && !reclaiming, unit.toNanos(timeout));
    }

    /** Waits under the lock until {@code condition} holds; false if {@code nanos} elapsed first. */
    private boolean await(java.util.function.BooleanSupplier condition, long nanos) throws InterruptedException {
        long remaining = nanos;
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The first permanent failure, or {@code null}. */
    DurableStreamException failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    /** The items of every failed batch, in append order (for {@link IncarnationChangedException}). */
    List<byte[]> undeliveredItems() {
        lock.lock();
        try {
            List<byte[]> items = new ArrayList<>();
            failed.stream().sorted(java.util.Comparator.comparingLong(e -> e.ordinal))
                    .forEach(e -> items.addAll(e.batch.items()));
            return items;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts over after an {@link IncarnationChangedException}: pins {@code newIncarnation}, moves to
     * {@code newEpoch} at sequence 0 (the new stream knows nothing of this producer) and forgets the
     * failure and the failed batches.
     *
     * @throws IllegalStateException unless the pipeline is idle and failed with an incarnation change
     */
    void continueOn(String newIncarnation, long newEpoch) {
        lock.lock();
        try {
            if (!(failure instanceof IncarnationChangedException) || inFlight > 0 || !queued.isEmpty()
                    || !sequenced.isEmpty()) {
                throw new IllegalStateException("the producer has not failed with an incarnation change"
                        + " (failure: " + failure + ", in flight: " + inFlight + ")");
            }
            failure = null;
            failed.clear();
            incarnation = newIncarnation;
            epoch = newEpoch;
            nextSeq = 0;
            epochConfirmed = false;
            reclaimEpoch = 0;
        } finally {
            lock.unlock();
        }
    }

    /** The incarnation attempts carry, or {@code null} while none is known. */
    String incarnation() {
        lock.lock();
        try {
            return incarnation;
        } finally {
            lock.unlock();
        }
    }

    /** The greatest offset acknowledged so far, or {@code null}. */
    String lastOffset() {
        lock.lock();
        try {
            return lastOffset;
        } finally {
            lock.unlock();
        }
    }

    /** Items of batches an earlier run had already written (with deduplicateAcrossRuns). */
    long deduplicatedItems() {
        lock.lock();
        try {
            return deduplicatedItems;
        } finally {
            lock.unlock();
        }
    }

    /** The current epoch (changes when autoClaim re-claims). */
    long epoch() {
        lock.lock();
        try {
            return epoch;
        } finally {
            lock.unlock();
        }
    }
}
