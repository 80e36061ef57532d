package io.durablestreams.engine;

import io.durablestreams.engine.live.Waiter;
import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.engine.store.SharedStream;
import io.durablestreams.engine.store.SharedStreams;
import io.durablestreams.engine.store.StreamDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The live streams by name, and the lifecycle rules that span streams: expiry, soft delete of a
 * stream that still has forks, and cascading clean-up when the last fork goes (PROTOCOL.md §4.2).
 *
 * <p>A name in transition — a stream being created, or one whose deletion is not durable yet —
 * makes every lookup throw {@link NotReady}: requests wait (without a thread) for the storage to
 * finish, so nothing a crash could take back is ever served or confirmed. Creations hold their
 * name in {@link #creations} until the stream is durable and published; a deleted stream stays
 * in {@link #streams} until its deletion is durable.
 *
 * <p>Thread-safety: the maps are concurrent; fork reference counts and the soft-deleted/removed
 * flags change only under the owning stream's lock.
 */
final class StreamRegistry {
    private static final System.Logger LOG = System.getLogger(StreamRegistry.class.getName());

    private final ConcurrentHashMap<String, StreamState> streams = new ConcurrentHashMap<>();
    /** Names being created: completes when the creation has ended (the stream published, or not). */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> creations = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final AtomicInteger pendingWrites = new AtomicInteger();
    private volatile boolean shuttingDown;
    /** The shared store that is the truth for every stream, or null when this registry is (a local store). */
    private final SharedStreams shared;
    /** Numbers loads from a shared store, so an older load never undoes what a newer one found. */
    private final java.util.concurrent.atomic.AtomicLong loads = new java.util.concurrent.atomic.AtomicLong();

    StreamRegistry(LongSupplier clock) {
        this(clock, null);
    }

    StreamRegistry(LongSupplier clock, SharedStreams shared) {
        this.clock = clock;
        this.shared = shared;
    }

    /** Shared stores: how an entry is reloaded (see {@link StreamState#addWaiter}). */
    private volatile java.util.function.Consumer<StreamState> recheck;

    void onRecheck(java.util.function.Consumer<StreamState> reload) {
        this.recheck = reload;
    }

    /** Shared stores: every cached entry (for announcing a possible change of any stream). */
    java.util.Collection<StreamState> all() {
        return streams.values();
    }

    /** Shared stores: the number to pass to {@link #reconcile} for a load that starts now. */
    long beginLoad() {
        return loads.incrementAndGet();
    }

    /**
     * Shared stores: makes this node's entry for {@code name} what the store committed
     * ({@code committed} null: no stream has the name), waking the readers of anything that
     * changed; returns the entry. Loads finish in any order, so a load never replaces a newer
     * incarnation with an older one, never moves a tail back, and removes an entry only if the
     * entry was created by an earlier load ({@code load} from {@link #beginLoad}).
     */
    StreamState reconcile(String name, SharedStream committed, long load) {
        for (;;) {
            StreamState current = streams.get(name);
            if (committed == null) {
                if (current != null && current.loadedBy < load && current.settling == null) {
                    evict(current);
                }
                return null;
            }
            StreamDescriptor d = committed.descriptor();
            if (current != null && current.incarnation >= d.incarnation()) {
                if (current.incarnation == d.incarnation()) {
                    if (committed.source() != null) {
                        reconcile(committed.source().descriptor().name(), committed.source(), load);
                    }
                    wake(current.committed(committed.tail(), committed.closed(), committed.closedBy(),
                            committed.lastStreamSeq(), committed.softDeleted(), committed.lastAccessMillis(), load));
                }
                return current;
            }
            StreamState source = committed.source() == null ? null
                    : reconcile(committed.source().descriptor().name(), committed.source(), load);
            if (d.isFork() && (source == null || source.incarnation != d.sourceIncarnation())) {
                return current; // the source changed between the loads: the next load settles it
            }
            StreamState fresh = new StreamState(d, source, committed.log(), committed.lastAccessMillis());
            fresh.loadedBy = load;
            fresh.recheck = recheck;
            fresh.committed(committed.tail(), committed.closed(), committed.closedBy(), committed.lastStreamSeq(),
                    committed.softDeleted(), committed.lastAccessMillis(), load);
            if (current == null ? streams.putIfAbsent(name, fresh) == null : streams.replace(name, current, fresh)) {
                if (current != null) {
                    evict(current);
                }
                return fresh;
            }
        }
    }

    /**
     * Shared stores: takes in the committed state another node's notification carried for
     * {@code s} (whose log the store already brought up to it), waking the readers it concerns.
     * Like a load's, it never moves the entry back; it is not numbered, so it neither answers nor
     * hides a note of another change.
     */
    void takeCommitted(StreamState s, io.durablestreams.engine.store.StreamChange change) {
        wake(s.committed(change.tail(), change.closed(), change.closedBy(), change.lastStreamSeq(), false, 0, 0));
    }

    /** Shared stores: forgets a stream this node cached (it was deleted or replaced); its readers wake and see it gone. */
    private void evict(StreamState s) {
        List<Waiter> toWake;
        synchronized (s) {
            s.removed = true;
            toWake = s.drainWaiters();
        }
        streams.remove(s.name, s);
        wake(toWake);
    }

    private static void wake(List<Waiter> waiters) {
        for (Waiter w : waiters) {
            w.wake();
        }
    }

    /** The cached entry under {@code name}, whatever its state, without expiry or waiting; or null. */
    StreamState cached(String name) {
        return streams.get(name);
    }

    /** The stream as a client may use it: throws 404 when absent or expired, 410 when soft-deleted. */
    StreamState require(String name) {
        StreamState s = find(name);
        if (s == null) {
            throw Problem.notFound(name);
        }
        if (s.softDeleted) {
            throw Problem.gone(name);
        }
        return s;
    }

    /**
     * The entry under {@code name}, soft-deleted ones included, after applying expiry; or null.
     *
     * @throws NotReady while the name is in transition or the stream's log is loading
     */
    StreamState find(String name) {
        for (;;) {
            StreamState s = streams.get(name);
            if (s == null) {
                CompletableFuture<Void> creation = creations.get(name);
                if (creation != null) {
                    throw new NotReady(creation);
                }
                return null;
            }
            expireIfDue(s);
            CompletableFuture<Void> settling = s.settling;
            if (settling != null && !settling.isDone()) {
                throw new NotReady(settling);
            }
            if (s.removed) {
                continue; // its removal is durable, so it has left the map
            }
            if (!s.softDeleted) {
                CompletableFuture<Void> ready = s.whenReady();
                if (ready != null) {
                    throw new NotReady(ready);
                }
            }
            return s;
        }
    }

    /** Like {@link #find} for a live stream, but never waits: null while the name is in transition. */
    StreamState current(String name) {
        StreamState s = streams.get(name);
        if (s == null) {
            return null;
        }
        expireIfDue(s);
        return s.softDeleted || s.removed ? null : s;
    }

    /**
     * Shared stores: another node's access may reach the store this long after it happened (see
     * the store's access recording), so a stream expires only once it has been idle this much
     * longer than its TTL — later, never earlier, than a reader on another node could expect.
     */
    static final long SHARED_EXPIRY_GRACE_MILLIS = 250;

    private void expireIfDue(StreamState s) {
        long now = clock.getAsLong() - (shared != null ? SHARED_EXPIRY_GRACE_MILLIS : 0);
        if (!s.softDeleted && !s.removed && s.isExpired(now)) {
            delete(s);
        }
    }

    /**
     * Expires every stream whose TTL or Expires-At has passed, freeing its storage (or soft-deleting
     * it while forks read it). Streams also expire when touched; this reclaims the untouched ones.
     * Returns how many were expired (their deletions may still be running).
     */
    int sweep() {
        long now = clock.getAsLong();
        if (shared != null) {
            forgetIdle(now);
            return 0; // the store finds and deletes expired streams itself (every node's, not just cached ones)
        }
        int expired = 0;
        for (StreamState s : streams.values()) {
            try {
                if (!s.softDeleted && !s.removed && s.isExpired(now)) {
                    delete(s);
                    expired++;
                }
            } catch (RuntimeException e) {
                // one stream must not stop the reclamation of the others; the sweep retries it every round
                if (!s.expiryFailureLogged) {
                    s.expiryFailureLogged = true;
                    LOG.log(System.Logger.Level.WARNING, "expiring stream " + describe(s) + " failed; the sweep goes on without it", e);
                }
            }
        }
        return expired;
    }

    /** Shared stores: entries idle this long are dropped from this node's cache (the store still has them). */
    static final long IDLE_CACHE_MILLIS = 120_000;

    private void forgetIdle(long now) {
        for (StreamState s : streams.values()) {
            if (now - s.lastAccessMillis > IDLE_CACHE_MILLIS && s.waiterCount() == 0 && s.settling == null) {
                streams.remove(s.name, s);
            }
        }
    }

    /**
     * Reserves {@code name} for a creation; null when it is taken (by a stream, or by another
     * creation). Every claim must be ended with {@link #endCreation}.
     */
    CompletableFuture<Void> claim(String name) {
        CompletableFuture<Void> claim = new CompletableFuture<>();
        if (creations.putIfAbsent(name, claim) != null) {
            return null;
        }
        if (streams.containsKey(name)) {
            endCreation(name, claim, null);
            return null;
        }
        return claim;
    }

    /** Publishes a durably created stream (or nothing, when {@code created} is null), then frees the claim. */
    void endCreation(String name, CompletableFuture<Void> claim, StreamState created) {
        if (created != null) {
            created.loadedBy = beginLoad(); // a shared store's load that began before this sees no stream: it must not evict this one
            created.lastRefresh = created.loadedBy;
            created.recheck = recheck;
            streams.put(name, created);
        }
        creations.remove(name, claim);
        claim.complete(null);
    }

    /**
     * Deletes a stream, whether a client asked or it expired: soft while forks still read it (it
     * stays under its name, answering 410), else removed and its storage released. The future
     * completes when the deletion is durable (exceptionally if the store failed; the stream is
     * gone from this run either way).
     */
    CompletableFuture<Void> delete(StreamState s) {
        if (shared != null) {
            return deleteShared(s);
        }
        CompletableFuture<Void> settled = new CompletableFuture<>();
        CompletableFuture<Void> marked = null;
        List<Waiter> toWake;
        synchronized (s) {
            if (s.removed || s.softDeleted) {
                CompletableFuture<Void> pending = s.settling;
                return pending != null ? pending : CompletableFuture.completedFuture(null);
            }
            s.settling = settled;
            if (s.forkRefs > 0) {
                s.softDeleted = true;
                marked = stored(s.log::markSoftDeleted);
            } else {
                s.removed = true;
            }
            toWake = s.drainWaiters();
        }
        toWake.forEach(Waiter::wake);
        if (marked == null) {
            return remove(s, settled);
        }
        return track(marked.whenComplete((v, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.WARNING, "recording the soft delete of stream " + describe(s) + " failed", e);
            }
            settled.complete(null);
        }));
    }

    /**
     * Shared stores decide soft or hard deletion themselves (forks may live on other nodes); this
     * node then forgets the stream, and the next load sees what the store holds. Other requests
     * for the stream on this node wait until the deletion is committed.
     */
    private CompletableFuture<Void> deleteShared(StreamState s) {
        CompletableFuture<Void> settled = new CompletableFuture<>();
        synchronized (s) {
            CompletableFuture<Void> pending = s.settling;
            if (pending != null && !pending.isDone()) {
                return pending;
            }
            if (s.removed) {
                return CompletableFuture.completedFuture(null);
            }
            s.settling = settled;
        }
        CompletableFuture<Boolean> deleted;
        try {
            deleted = shared.delete(s.name, s.incarnation);
        } catch (RuntimeException e) {
            deleted = CompletableFuture.failedFuture(e);
        }
        return track(deleted).handle((soft, err) -> {
            evict(s);
            settled.complete(null);
            if (err != null) {
                throw err instanceof java.util.concurrent.CompletionException ce ? ce : new java.util.concurrent.CompletionException(err);
            }
            return null;
        });
    }

    /**
     * Deletes a removed stream's log; once that is durable (or failed), the stream leaves the map
     * and drops its reference on its source (cascading): a crash before then finds the fork
     * still holding it.
     */
    private CompletableFuture<Void> remove(StreamState s, CompletableFuture<Void> settled) {
        return track(stored(s.log::delete).whenComplete((v, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.WARNING, "deleting stream " + describe(s)
                        + " failed; it is gone until a restart brings it back", e);
            }
            streams.remove(s.name, s);
            if (s.source != null) {
                dropForkRef(s.source);
            }
            settled.complete(null);
        }));
    }

    /** The future of a storage call, with an exception it throws as the failure. */
    private static CompletableFuture<Void> stored(java.util.function.Supplier<CompletableFuture<Void>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Takes a fork reference on {@code source}; false if it is being deleted. */
    boolean addForkRef(StreamState source) {
        synchronized (source) {
            if (source.removed || source.softDeleted) {
                return false;
            }
            source.forkRefs++;
            return true;
        }
    }

    /**
     * Drops a fork reference: for a fork that was released, or one that was never published. The
     * last reference on a soft-deleted source releases it too, and so on up the chain.
     */
    void dropForkRef(StreamState source) {
        CompletableFuture<Void> settled = new CompletableFuture<>();
        boolean cascade;
        synchronized (source) {
            source.forkRefs--;
            cascade = source.forkRefs == 0 && source.softDeleted && !source.removed;
            if (cascade) {
                source.settling = settled;
                source.removed = true;
            }
        }
        if (cascade) {
            remove(source, settled);
        }
    }

    private static String describe(StreamState s) {
        return Problem.clip(s.name) + " (incarnation " + s.incarnation + ")";
    }

    /** Rebuilds the streams a durable store recovered; sources come before their forks. */
    void restore(List<RecoveredStream> recovered) {
        Map<Long, StreamState> byIncarnation = new HashMap<>();
        List<StreamState> softDeleted = new ArrayList<>();
        for (RecoveredStream r : recovered) {
            StreamDescriptor d = r.descriptor();
            StreamState source = d.isFork() ? byIncarnation.get(d.sourceIncarnation()) : null;
            if (d.isFork() && source == null) {
                throw new IllegalStateException("recovered fork " + d.name() + " (incarnation " + d.incarnation()
                        + ") references unknown source incarnation " + d.sourceIncarnation());
            }
            StreamState s = new StreamState(d, source, r.log(), r.lastAccessMillis());
            s.closed = r.closed();
            s.closeVisible = r.closed();
            s.closedBy = r.closedBy();
            s.lastStreamSeq = r.lastStreamSeq();
            r.producers().forEach((id, state) -> s.producers.put(id, new ProducerState(state[0], state[1])));
            s.softDeleted = r.softDeleted();
            if (source != null) {
                source.forkRefs++;
            }
            byIncarnation.put(d.incarnation(), s);
            if (s.softDeleted) {
                softDeleted.add(s);
            } else {
                streams.put(d.name(), s);
            }
        }
        for (StreamState s : softDeleted) {
            if (streams.putIfAbsent(s.name, s) != null || s.forkRefs == 0) {
                // its forks are gone (or its name was reused): finish the interrupted clean-up
                synchronized (s) {
                    s.forkRefs++;
                }
                dropForkRef(s);
            }
        }
    }

    /** Counts a storage operation until its future completes, so shutdown can wait for it. */
    <T> CompletableFuture<T> track(CompletableFuture<T> write) {
        pendingWrites.incrementAndGet();
        write.whenComplete((v, e) -> pendingWrites.decrementAndGet());
        return write;
    }

    int pendingWrites() {
        return pendingWrites.get();
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    /** Ends live reads: every waiter wakes and sees {@link #shuttingDown()}. */
    void beginShutdown() {
        shuttingDown = true;
        for (StreamState s : streams.values()) {
            List<Waiter> toWake;
            synchronized (s) {
                toWake = s.drainWaiters();
            }
            toWake.forEach(Waiter::wake);
        }
    }

    /** Live readers currently parked on some stream. Walks every stream: for tests and diagnostics. */
    int parkedReaders() {
        int n = 0;
        for (StreamState s : streams.values()) {
            n += s.waiterCount();
        }
        return n;
    }

    /** Names of live streams (not soft-deleted). */
    List<String> names() {
        List<String> out = new ArrayList<>();
        streams.forEach((name, s) -> {
            if (!s.softDeleted && !s.removed) {
                out.add(name);
            }
        });
        return out;
    }

    int size() {
        return streams.size();
    }
}
