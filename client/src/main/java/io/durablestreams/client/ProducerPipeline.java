package io.durablestreams.client;

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
 *   <li>accepted or duplicate: done; the producer's offset advances monotonically;</li>
 *   <li>sequence gap (409): a pipelined predecessor has not arrived yet; the batch is re-sent, with the
 *       same sequence number, once every predecessor is acknowledged (bounded by
 *       {@value #MAX_GAP_RETRIES} tries);</li>
 *   <li>stale epoch (403) with autoClaim: dispatch stops, outstanding requests drain, then every
 *       unacknowledged batch is re-sequenced from 0 in epoch {@code serverEpoch + 1}, in original
 *       order;</li>
 *   <li>anything else: the producer fails; queued batches fail with it.</li>
 * </ul>
 * <b>Claim barrier:</b> while the epoch is not confirmed (autoClaim before the first accepted batch, or
 * after a re-claim), only one batch is in flight and no other batch has a sequence number, so a claim
 * never strands pipelined batches in the old epoch.
 *
 * <p>Thread-safe. One lock guards all state; it is never held while calling the sender.
 */
final class ProducerPipeline {
    static final int MAX_GAP_RETRIES = 8;

    /** A request to send one batch with the given producer coordinates. */
    record Attempt(Batch batch, long epoch, long seq, boolean closeStream) {
    }

    /** What the server said about one attempt. */
    sealed interface Outcome {
        /** 200 (new data) or 204 (duplicate of an earlier attempt). */
        record Accepted(String nextOffset, boolean duplicate) implements Outcome {
        }

        /** 403: fenced by {@code serverEpoch}. */
        record Stale(StaleEpochException error) implements Outcome {
        }

        /** 409 with expected/received sequence numbers. */
        record Gap(SequenceGapException error) implements Outcome {
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
        long epoch;
        long seq;
        private State state = State.QUEUED;
        private int gapRetries;
        String resultOffset;

        Entry(Batch batch, boolean closeStream) {
            this.batch = batch;
            this.closeStream = closeStream;
        }

        boolean succeeded() {
            return state == State.DONE;
        }
    }

    private final BatchSender sender;
    private final boolean autoClaim;
    private final int maxInFlight;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Entry> queued = new ArrayDeque<>();
    private final List<Entry> sequenced = new ArrayList<>();
    private long epoch;
    private long nextSeq;
    private boolean epochConfirmed;
    private boolean reclaiming;
    private long reclaimEpoch;
    private int inFlight;
    private DurableStreamException failure;
    private String lastOffset;

    ProducerPipeline(BatchSender sender, long epoch, boolean autoClaim, int maxInFlight) {
        this.sender = sender;
        this.epoch = epoch;
        this.autoClaim = autoClaim;
        this.maxInFlight = maxInFlight;
        this.epochConfirmed = !autoClaim;
    }

    /** Queues a batch without dispatching; call {@link #pump()} afterwards (outside caller locks). */
    Entry enqueue(Batch batch, boolean closeStream) {
        Entry e = new Entry(batch, closeStream);
        lock.lock();
        try {
            if (failure != null) {
                e.state = State.FAILED;
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
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Entry e : toSend) {
            sender.send(new Attempt(e.batch, e.epoch, e.seq, e.closeStream), outcome -> onOutcome(e, outcome));
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
                e.state = State.FAILED;
                return true;
            }
            return false;
        });
        for (Entry e : queued) {
            e.state = State.FAILED;
        }
        queued.clear();
        reclaiming = false;
    }

    void onOutcome(Entry e, Outcome outcome) {
        lock.lock();
        try {
            inFlight--;
            if (outcome instanceof Outcome.Accepted a) {
                e.state = State.DONE;
                e.resultOffset = a.nextOffset();
                epochConfirmed = true;
                if (a.nextOffset() != null && (lastOffset == null || a.nextOffset().compareTo(lastOffset) > 0)) {
                    lastOffset = a.nextOffset();
                }
                sequenced.remove(e);
            } else if (outcome instanceof Outcome.Stale s && autoClaim && failure == null) {
                e.state = State.NEEDS_NEW_EPOCH;
                reclaimEpoch = Math.max(reclaimEpoch, Math.max(s.error().currentEpoch(), epoch) + 1);
                reclaiming = true;
            } else if (outcome instanceof Outcome.Gap g) {
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
        } finally {
            lock.unlock();
        }
        pump();
    }

    private void fail(Entry e, DurableStreamException error) {
        e.state = State.FAILED;
        sequenced.remove(e);
        if (failure == null) {
            failure = error;
        }
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
     * Blocks until every queued batch is acknowledged or failed.
     *
     * @return {@code false} if the timeout elapsed first
     */
    boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        long remaining = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!(queued.isEmpty() && sequenced.isEmpty() && inFlight == 0 && !reclaiming)) {
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

    /** The greatest offset acknowledged so far, or {@code null}. */
    String lastOffset() {
        lock.lock();
        try {
            return lastOffset;
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
