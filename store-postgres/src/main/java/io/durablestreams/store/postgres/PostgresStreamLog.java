package io.durablestreams.store.postgres;

import io.durablestreams.engine.store.AppendEntry;
import io.durablestreams.engine.store.DataNotLoaded;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.StreamLog;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One stream incarnation on PostgreSQL, as this node sees it: the committed tail it last learned,
 * and a cache of committed chunks (immutable, so a cached chunk is always right). The query
 * methods answer from the cache and throw {@link DataNotLoaded} for what is not there, with a
 * future that loads it on the store's threads — never on the caller's.
 *
 * <p>The log does not decide or store writes: the engine hands them to the store
 * ({@link PostgresStorage#write}), which commits them in group transactions. Its one write of its
 * own is the creation, committed with the initial data on the first {@link #append} or
 * {@link #sync}.
 */
final class PostgresStreamLog implements StreamLog {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final PostgresStorage store;
    final StreamDescriptor descriptor;
    private final long base;
    private final long cacheBytes;
    private final ConcurrentSkipListMap<Long, ChunkRow> chunks = new ConcurrentSkipListMap<>();
    private final AtomicLong cachedBytes = new AtomicLong();
    private final AtomicLong tail;
    /** Retention as last committed (a load, this node's commit): never moves back. */
    private final AtomicLong retainedStart;
    private final AtomicLong latestSnapshot;
    /** Null once the stream row is committed; until then the creation is pending (see {@link #append}). */
    private volatile CompletableFuture<Void> creation;
    private volatile boolean creationAttempted;
    volatile long lastUsedMillis = System.currentTimeMillis();

    private PostgresStreamLog(PostgresStorage store, StreamDescriptor descriptor, long tail, boolean created, long cacheBytes) {
        this.store = store;
        this.descriptor = descriptor;
        this.base = descriptor.isFork() ? descriptor.forkPosition() : 0;
        this.tail = new AtomicLong(Math.max(tail, base));
        this.cacheBytes = cacheBytes;
        this.retainedStart = new AtomicLong(descriptor.initialStart());
        this.latestSnapshot = new AtomicLong(descriptor.initialSnapshot());
        this.creation = created ? null : new CompletableFuture<>();
    }

    /** The log of a stream the database holds. */
    static PostgresStreamLog existing(PostgresStorage store, StreamDescriptor d, long tail, long cacheBytes) {
        return new PostgresStreamLog(store, d, tail, true, cacheBytes);
    }

    /** The log of a stream being created: its row is inserted with the first append or sync. */
    static PostgresStreamLog creating(PostgresStorage store, StreamDescriptor d, long cacheBytes) {
        return new PostgresStreamLog(store, d, 0, false, cacheBytes);
    }

    String name() {
        return descriptor.name();
    }

    long incarnation() {
        return descriptor.incarnation();
    }

    /** Learns a committed tail (from a load or a commit); never moves back. */
    void committedTail(long committed) {
        tail.accumulateAndGet(committed, Math::max);
    }

    /** Learns the committed retention (a load, a commit); never moves back. */
    void committedRetention(long start, long snapshot) {
        retainedStart.accumulateAndGet(start, Math::max);
        latestSnapshot.accumulateAndGet(snapshot, Math::max);
        // chunks below the start are never read again here: drop them from the cache
        chunks.headMap(start).values().removeIf(c -> {
            if (c.end() <= start) {
                cachedBytes.addAndGet(-c.data().length);
                return true;
            }
            return false;
        });
    }

    @Override
    public long retainedStart() {
        return retainedStart.get();
    }

    @Override
    public long latestSnapshot() {
        return latestSnapshot.get();
    }

    /** The store moves retained starts itself ({@link PostgresStorage#sweepRetention}). */
    @Override
    public CompletableFuture<Void> retain(long position) {
        throw new IllegalStateException("the PostgreSQL store applies retention itself");
    }

    /** The store deletes reclaimed chunks itself ({@link PostgresStorage#sweepRetention}). */
    @Override
    public CompletableFuture<Long> reclaim(long position) {
        throw new IllegalStateException("the PostgreSQL store applies retention itself");
    }

    @Override
    public long appendBoundaryAtOrBefore(long position) {
        throw new IllegalStateException("the PostgreSQL store applies retention itself");
    }

    @Override
    public long appendedBefore(long from, long limit, long millis) {
        throw new IllegalStateException("the PostgreSQL store applies retention itself");
    }

    /**
     * Caches a committed chunk. Beyond the cache budget, chunks are dropped from the end of the
     * cached range farther from this one: a catch-up read far below the tail keeps what it just
     * loaded (and what follows it), a live read near the tail keeps the tail.
     */
    void cache(ChunkRow chunk) {
        if (chunks.putIfAbsent(chunk.start(), chunk) == null) {
            long total = cachedBytes.addAndGet(chunk.data().length);
            while (total > cacheBytes && chunks.size() > 1) {
                long first = chunks.firstKey();
                long last = chunks.lastKey();
                Map.Entry<Long, ChunkRow> dropped = chunk.start() - first >= last - chunk.start()
                        ? chunks.pollFirstEntry() : chunks.pollLastEntry();
                if (dropped == null) {
                    break;
                }
                total = cachedBytes.addAndGet(-dropped.getValue().data().length);
            }
        }
    }

    /** Whether every byte of {@code [from, to)} is cached. */
    boolean covered(long from, long to) {
        long pos = from;
        while (pos < to) {
            Map.Entry<Long, ChunkRow> e = chunks.floorEntry(pos);
            if (e == null || e.getValue().end() <= pos) {
                return false;
            }
            pos = e.getValue().end();
        }
        return true;
    }

    @Override
    public CompletableFuture<Void> ready() {
        return DONE;
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long tail() {
        return tail.get();
    }

    /**
     * Only the creation is written through the log: the first call inserts the stream row with
     * {@code entry} (initial data and closure) in one transaction. Later writes go through
     * {@link PostgresStorage#write}.
     */
    @Override
    public CompletableFuture<Void> append(AppendEntry entry) {
        CompletableFuture<Void> pending = creation;
        if (pending == null || creationAttempted) {
            throw new IllegalStateException("writes to a PostgreSQL stream go through the store, not the log");
        }
        creationAttempted = true;
        store.create(this, entry).whenComplete((v, e) -> {
            if (e != null) {
                pending.completeExceptionally(e);
            } else {
                creation = null;
                pending.complete(null);
            }
        });
        return pending;
    }

    /** Called by the store once the creation committed. */
    void created(AppendEntry entry) {
        if (entry.hasData()) {
            cache(new ChunkRow(base, base + entry.data().length, PostgresStorage.messageEnds(entry), entry.data()));
            committedTail(base + entry.data().length);
        }
    }

    @Override
    public CompletableFuture<Void> sync() {
        CompletableFuture<Void> pending = creation;
        if (pending == null) {
            return DONE; // every write the engine saw was acknowledged after its commit
        }
        return creationAttempted ? pending : append(new AppendEntry(new byte[0], new int[0], null, null, false, false, 0));
    }

    @Override
    public List<ByteBuffer> read(long from, long to) {
        List<ByteBuffer> out = new ArrayList<>();
        long pos = from;
        while (pos < to) {
            Map.Entry<Long, ChunkRow> e = chunks.floorEntry(pos);
            if (e == null || e.getValue().end() <= pos) {
                throw notLoaded(pos, to);
            }
            ChunkRow c = e.getValue();
            int lo = (int) (pos - c.start());
            int hi = (int) (Math.min(to, c.end()) - c.start());
            out.add(ByteBuffer.wrap(c.data(), lo, hi - lo).asReadOnlyBuffer());
            pos = c.start() + hi;
        }
        lastUsedMillis = System.currentTimeMillis();
        return out;
    }

    @Override
    public long boundedEnd(long from, long limit, long maxBytes, boolean splittable) {
        long cap = Math.min(limit, tail.get());
        long want = from + maxBytes;
        if (cap <= want) {
            return cap;
        }
        if (splittable) {
            return want;
        }
        // the last message end in (from, want], else the first one after from
        long best = -1;
        long pos = from;
        while (pos < cap) {
            Map.Entry<Long, ChunkRow> e = chunks.floorEntry(pos);
            if (e == null || e.getValue().end() <= pos) {
                throw notLoaded(pos, Math.min(cap, want + 1));
            }
            ChunkRow c = e.getValue();
            for (long end : ends(c)) {
                if (end <= from) {
                    continue;
                }
                if (end > want) {
                    return best >= 0 ? best : Math.min(end, cap);
                }
                best = end;
            }
            pos = c.end();
        }
        return best >= 0 ? best : cap;
    }

    @Override
    public boolean isMessageBoundary(long position) {
        if (position == base || position == tail.get()) {
            return true;
        }
        Map.Entry<Long, ChunkRow> e = chunks.lowerEntry(position);
        if (e == null || e.getValue().end() < position) {
            throw notLoaded(position - 1, position);
        }
        for (long end : ends(e.getValue())) {
            if (end == position) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long[] boundariesToBatchEnd(long position) {
        if (position >= tail.get()) {
            return new long[0];
        }
        Map.Entry<Long, ChunkRow> e = chunks.floorEntry(position);
        if (e == null || e.getValue().end() <= position) {
            throw notLoaded(position, position + 1);
        }
        long[] all = ends(e.getValue());
        int first = 0;
        while (first < all.length && all[first] <= position) {
            first++;
        }
        long[] out = new long[all.length - first];
        System.arraycopy(all, first, out, 0, out.length);
        return out;
    }

    /** Absolute message ends of a chunk. */
    private static long[] ends(ChunkRow c) {
        if (c.messageEnds() == null) {
            return new long[] {c.end()};
        }
        long[] out = new long[c.messageEnds().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = c.start() + c.messageEnds()[i];
        }
        return out;
    }

    private DataNotLoaded notLoaded(long from, long to) {
        return new DataNotLoaded(store.fetch(this, from, Math.max(to, from + 1)));
    }

    @Override
    public CompletableFuture<Void> markSoftDeleted() {
        throw new IllegalStateException("the PostgreSQL store decides soft deletes itself");
    }

    @Override
    public void touched(long nowMillis) {
        lastUsedMillis = nowMillis;
        if (creation == null) {
            store.touched(this, nowMillis);
        }
    }

    /**
     * Deletes the incarnation; the engine calls it only to discard a creation that failed, whose
     * commit may still have happened (its answer lost), so the row is deleted if it is there.
     */
    @Override
    public CompletableFuture<Void> delete() {
        if (!creationAttempted && creation != null) {
            return DONE;
        }
        return store.delete(name(), incarnation()).handle((soft, e) -> null);
    }
}
