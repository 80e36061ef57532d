package io.durablestreams.engine;

import io.durablestreams.engine.live.Waiter;
import io.durablestreams.engine.store.ProducerTuple;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.StreamLog;
import io.durablestreams.protocol.ContentTypes;
import io.durablestreams.protocol.Offset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Everything the engine knows about one stream incarnation. Immutable configuration is final;
 * mutable state is guarded by {@code this} (the stream lock), except {@link #visibleTail}, which
 * readers may read without the lock.
 *
 * <p>Positions: {@code writtenTail} counts every byte handed to the log; {@code visibleTail}
 * only bytes whose append is durable and acknowledged, so readers never see data that a crash
 * could take back.
 */
final class StreamState {
    final StreamDescriptor descriptor;
    final String name;
    final long incarnation;
    final String contentType;
    final boolean json;
    final Long ttlSeconds;
    final Instant expiresAt;
    final String expiresAtText;
    /** {@link #expiresAt} and {@link #ttlSeconds} as saturated milliseconds ({@link Expiry#NEVER} when unset). */
    private final long expiresAtMillis;
    private final long ttlMillis;
    /** Expiry as the creating request stated it; forks may inherit a different effective one. */
    final Long ttlRequested;
    final Instant expiresRequested;

    /** Fork configuration: the source incarnation, the divergence position, as requested. */
    final StreamState source;
    final long forkPosition;
    final String forkedFromRequested;
    final String forkOffsetRequested;
    final long forkSubOffsetRequested;
    final boolean restartable;
    /** Retention policies (docs/extensions/retention.md), or null. */
    final Long retentionAgeSeconds;
    final Long retentionBytes;

    final StreamLog log;

    // --- guarded by this ---
    long writtenTail;
    volatile long visibleTail;
    volatile boolean closed;
    /** Closure is visible to readers once the closing append is durable. */
    volatile boolean closeVisible;
    ProducerTuple closedBy;
    String lastStreamSeq;
    final Map<String, ProducerState> producers = new HashMap<>();
    int forkRefs;
    volatile boolean softDeleted;
    volatile boolean removed;
    /**
     * The first position readers are served (retention); raised only once what raised it is
     * durable — a stored snapshot append, or the log's {@link StreamLog#retain} — so a crash never
     * brings back a start readers were told was gone.
     */
    volatile long retainedStart;
    /** Where the latest snapshot append starts, or -1; with one, {@link #retainedStart} equals it. */
    volatile long latestSnapshot;
    /** A {@link StreamLog#retain} is in flight (retention thread; guarded by this). */
    boolean retaining;
    /** The retained start as of the previous retention round: what the next round may free (guarded by this). */
    long reclaimTarget;
    /** How far the log's space was freed, and the freeing in flight (one at a time per stream). */
    volatile long reclaimedTo;
    volatile CompletableFuture<Void> reclaiming = CompletableFuture.completedFuture(null);
    /**
     * The durability of the latest soft delete or removal, set (before the flag) when it starts;
     * lookups wait for it, so nobody sees a deletion that a crash could take back. A removed
     * stream leaves the registry before this completes.
     */
    volatile CompletableFuture<Void> settling;
    /** Set once this stream's log and its sources' logs are {@link StreamLog#ready() ready}. */
    private volatile boolean ready;
    private List<Waiter> waiters = new ArrayList<>();

    volatile long lastAccessMillis;
    /** Shared stores: the number of the load that created this entry (see {@link StreamRegistry#reconcile}). */
    long loadedBy;
    /** Shared stores: the number of the latest load taken into this entry. */
    volatile long lastRefresh;
    /** Shared stores: a number drawn when another node's change of this stream was last announced. */
    volatile long lastNotice;
    /** Shared stores: reloads this entry; null for local stores. */
    java.util.function.Consumer<StreamState> recheck;
    /** Set once a failure to expire this stream was logged, so the sweep does not repeat it every round. */
    boolean expiryFailureLogged;

    /** The SSE data event most recently framed for this stream: every session at that position reuses it. */
    record SseFrame(long from, long end, byte[] event) {}

    volatile SseFrame lastSseFrame;

    StreamState(StreamDescriptor d, StreamState source, StreamLog log, long nowMillis) {
        this.descriptor = d;
        this.name = d.name();
        this.incarnation = d.incarnation();
        this.contentType = d.contentType();
        this.json = ContentTypes.isJson(contentType);
        this.ttlSeconds = d.ttlSeconds();
        this.expiresAtText = d.expiresAt();
        this.expiresAt = Expiry.stored(d.expiresAt(), d.name());
        this.expiresAtMillis = Expiry.millis(expiresAt);
        this.ttlMillis = Expiry.ttlMillis(ttlSeconds);
        this.ttlRequested = d.ttlRequested();
        this.expiresRequested = Expiry.stored(d.expiresAtRequested(), d.name());
        this.source = source;
        this.forkPosition = d.forkPosition();
        this.forkedFromRequested = d.sourceName();
        this.forkOffsetRequested = d.forkOffsetRequested();
        this.forkSubOffsetRequested = d.forkSubOffsetRequested();
        this.restartable = d.restartable();
        this.retentionAgeSeconds = d.retentionAgeSeconds();
        this.retentionBytes = d.retentionBytes();
        this.log = log;
        this.retainedStart = log.retainedStart();
        this.latestSnapshot = log.latestSnapshot();
        this.reclaimTarget = retainedStart;
        this.reclaimedTo = log.base();
        this.writtenTail = log.tail();
        this.visibleTail = writtenTail;
        this.lastAccessMillis = nowMillis;
    }

    boolean isExpired(long nowMillis) {
        return nowMillis >= expiresAtMillis || Expiry.idleTooLong(nowMillis, lastAccessMillis, ttlMillis);
    }

    /**
     * Null when this stream and every source it reads through are ready to serve; else a future
     * that completes (exceptionally if a log failed to load) when they may be.
     */
    CompletableFuture<Void> whenReady() {
        if (ready) {
            return null;
        }
        CompletableFuture<Void> own = log.ready();
        CompletableFuture<Void> inherited = source == null ? null : source.whenReady();
        if (inherited == null && own.isDone() && !own.isCompletedExceptionally()) {
            ready = true;
            return null;
        }
        return inherited == null ? own : CompletableFuture.allOf(own, inherited);
    }

    void touch(long nowMillis) {
        lastAccessMillis = nowMillis;
        log.touched(nowMillis);
    }

    /** The offset this stream's chain minted for {@code position}: inherited positions keep the source's. */
    Offset offsetOf(long position) {
        StreamState s = this;
        while (s.source != null && position <= s.forkPosition) {
            s = s.source;
        }
        return new Offset(s.incarnation, position);
    }

    /**
     * Takes what a shared store committed for this incarnation — written by any node — never
     * moving backwards (a slow load may report less than a later one already did). Returns the
     * readers to wake when something they wait for changed.
     */
    synchronized List<Waiter> committed(long tail, boolean isClosed, ProducerTuple by, String streamSeq,
                                        boolean isSoftDeleted, long accessMillis, long load) {
        if (load > lastRefresh) {
            lastRefresh = load;
        }
        boolean changed = false;
        if (tail > visibleTail) {
            visibleTail = tail;
            lastStreamSeq = streamSeq;
            changed = true;
        }
        if (tail > writtenTail) {
            writtenTail = tail;
        }
        if (isClosed && !closeVisible) {
            closed = true;
            closeVisible = true;
            closedBy = by;
            changed = true;
        }
        if (isSoftDeleted && !softDeleted) {
            softDeleted = true;
            changed = true;
        }
        if (accessMillis > lastAccessMillis) {
            lastAccessMillis = accessMillis;
        }
        // retention as the shared store committed it (its log learns it with every load and commit)
        long start = log.retainedStart();
        if (start > retainedStart) {
            latestSnapshot = Math.max(latestSnapshot, log.latestSnapshot());
            retainedStart = start;
        }
        return changed ? drainWaiters() : List.of();
    }

    /** Registers a waiter for the next change of this stream; returns false if it must not wait. */
    boolean addWaiter(Waiter w, long seenTail) {
        boolean stale;
        synchronized (this) {
            if (removed || visibleTail != seenTail || closeVisible) {
                return false;
            }
            waiters.add(w);
            stale = recheck != null && lastNotice > lastRefresh;
        }
        if (stale) {
            // another node changed the stream after the load this entry last took in, and nobody waited
            // then to reload it: reload now, which wakes this waiter if the change concerns it
            recheck.accept(this);
        }
        return true;
    }

    synchronized void removeWaiter(Waiter w) {
        waiters.remove(w);
    }

    /** Takes the current waiters; called with the lock held when the stream changes. */
    List<Waiter> drainWaiters() {
        if (waiters.isEmpty()) {
            return List.of();
        }
        List<Waiter> out = waiters;
        waiters = new ArrayList<>();
        return out;
    }

    synchronized int forkRefs() {
        return forkRefs;
    }

    synchronized int waiterCount() {
        return waiters.size();
    }
}
