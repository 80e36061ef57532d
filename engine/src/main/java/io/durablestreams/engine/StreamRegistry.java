package io.durablestreams.engine;

import io.durablestreams.engine.live.Waiter;
import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.engine.store.StreamDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The live streams by name, and the lifecycle rules that span streams: expiry, soft delete of a
 * stream that still has forks, and cascading clean-up when the last fork goes (PROTOCOL.md §4.2).
 *
 * <p>Thread-safety: the map is concurrent; fork reference counts and the soft-deleted/removed
 * flags change only under the owning stream's lock.
 */
final class StreamRegistry {
    private static final System.Logger LOG = System.getLogger(StreamRegistry.class.getName());
    private final ConcurrentHashMap<String, StreamState> streams = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final java.util.concurrent.atomic.AtomicInteger pendingWrites = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean shuttingDown;

    StreamRegistry(LongSupplier clock) {
        this.clock = clock;
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

    /** The entry under {@code name}, soft-deleted ones included, after applying expiry; or null. */
    StreamState find(String name) {
        StreamState s = streams.get(name);
        if (s != null && !s.softDeleted && s.isExpired(clock.getAsLong())) {
            delete(s);
            s = streams.get(name);
        }
        return s;
    }

    /**
     * Expires every stream whose TTL or Expires-At has passed, freeing its storage (or soft-deleting
     * it while forks read it). Streams also expire when touched; this reclaims the untouched ones.
     * Returns how many were expired.
     */
    int sweep() {
        long now = clock.getAsLong();
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
                    LOG.log(System.Logger.Level.WARNING, "expiring stream " + Problem.clip(s.name) + " (incarnation "
                            + s.incarnation + ") failed; the sweep goes on without it", e);
                }
            }
        }
        return expired;
    }

    /** Publishes a new stream; false if another one took the name first. */
    boolean publish(StreamState s) {
        return streams.putIfAbsent(s.name, s) == null;
    }

    /**
     * Deletes a stream, whether a client asked or it expired: soft while forks still read it (it
     * stays under its name, answering 410), else removed and its storage released.
     */
    void delete(StreamState s) {
        boolean release;
        List<Waiter> toWake;
        synchronized (s) {
            if (s.removed || s.softDeleted) {
                return;
            }
            if (s.forkRefs > 0) {
                s.softDeleted = true;
                s.log.markSoftDeleted();
                release = false;
            } else {
                s.removed = true;
                release = true;
            }
            toWake = s.drainWaiters();
        }
        toWake.forEach(Waiter::wake);
        if (release) {
            streams.remove(s.name, s);
            release(s);
        }
    }

    /** Frees a removed stream's data and drops its reference on its source (cascading). */
    private void release(StreamState s) {
        s.log.delete();
        if (s.source != null) {
            dropForkRef(s.source);
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
        boolean cascade;
        synchronized (source) {
            source.forkRefs--;
            cascade = source.forkRefs == 0 && source.softDeleted && !source.removed;
            if (cascade) {
                source.removed = true;
            }
        }
        if (cascade) {
            streams.remove(source.name, source);
            release(source);
        }
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

    /** Counts a write until its future completes, so shutdown can wait for it. */
    <T> java.util.concurrent.CompletableFuture<T> track(java.util.concurrent.CompletableFuture<T> write) {
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
