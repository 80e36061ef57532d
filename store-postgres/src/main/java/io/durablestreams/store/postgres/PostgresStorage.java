package io.durablestreams.store.postgres;

import io.durablestreams.engine.store.AppendEntry;
import io.durablestreams.engine.store.ControlStore;
import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.engine.store.SharedStream;
import io.durablestreams.engine.store.SharedStreams;
import io.durablestreams.engine.store.StorageConflict;
import io.durablestreams.engine.store.StreamChange;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.StreamLog;
import io.durablestreams.engine.store.StreamStorage;
import io.durablestreams.engine.store.WriteResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The PostgreSQL store: every stream's truth in one database that stateless nodes share
 * ({@link SharedStreams}). Loads, fetches of chunks, deletions and sweeps run on a pool of
 * {@code ds-postgres-io} threads; creations and writes go through the {@link GroupCommitter};
 * other nodes' commits arrive through the {@link ChangeListener}. No request thread ever waits
 * for the database.
 */
public final class PostgresStorage implements StreamStorage, SharedStreams {
    private static final System.Logger LOG = System.getLogger(PostgresStorage.class.getName());
    /** Chunks a node caches per stream: enough for a few reads near the tail. */
    static final long CACHE_BYTES_PER_STREAM = 4L * 1024 * 1024;
    /** Logs unused this long are dropped from the node's map (the engine drops its entries sooner). */
    static final long IDLE_LOG_MILLIS = 300_000;
    /**
     * Accesses of streams with a sliding TTL are written at once (batched while a write is under
     * way), so another node deciding expiry sees them within a round trip; nodes expire streams
     * only after a grace (StreamRegistry.SHARED_EXPIRY_GRACE_MILLIS, and {@value #EXPIRY_GRACE_MILLIS}
     * in the sweep) well above that.
     */
    static final long EXPIRY_GRACE_MILLIS = 250;
    /** Expired streams deleted per sweep statement. */
    static final int SWEEP_BATCH = 500;

    private final PostgresDatabase db;
    private final String nodeId = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    private final ExecutorService io;
    private final ScheduledExecutorService timer;
    private final GroupCommitter committer;
    private final ChangeListener changes;
    private final Map<String, PostgresStreamLog> logs = new ConcurrentHashMap<>();
    private final Map<PostgresStreamLog, Long> touches = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean touchFlushPending = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile LongConsumer syncListener = nanos -> { };

    private PostgresStorage(PostgresDatabase db) {
        this.db = db;
        int threads = Math.max(1, db.config().poolSize() - 1);
        AtomicInteger n = new AtomicInteger();
        this.io = Executors.newFixedThreadPool(threads, r -> daemon(r, "ds-postgres-io-" + n.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ds-postgres-timer"));
        this.committer = new GroupCommitter(db, nodeId, nanos -> syncListener.accept(nanos));
        this.changes = new ChangeListener(db.config(), nodeId);
        timer.scheduleWithFixedDelay(this::forgetIdleLogs, IDLE_LOG_MILLIS, IDLE_LOG_MILLIS / 4, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Connects and migrates the schema; throws {@link PostgresUnavailableException} when the database cannot be reached. */
    public static PostgresStorage open(PostgresConfig config) {
        return new PostgresStorage(PostgresDatabase.open(config));
    }

    /** Control-plane records in the same database. */
    public ControlStore controlStore() {
        return new PostgresControlStore(db);
    }

    // ---- StreamStorage

    /** Nothing to recover: the database holds every stream, and nodes load them when asked. */
    @Override
    public List<RecoveredStream> recover() {
        return List.of();
    }

    @Override
    public SharedStreams shared() {
        return this;
    }

    @Override
    public CompletableFuture<Long> nextIncarnation() {
        return onIo("reserving an incarnation id", StreamTables::nextIncarnation);
    }

    @Override
    public CompletableFuture<StreamLog> createLog(StreamDescriptor descriptor) {
        return CompletableFuture.completedFuture(PostgresStreamLog.creating(this, descriptor, CACHE_BYTES_PER_STREAM));
    }

    @Override
    public void onSync(LongConsumer listener) {
        this.syncListener = listener;
    }

    @Override
    public boolean available() {
        return changes.connected();
    }

    // ---- SharedStreams

    @Override
    public CompletableFuture<SharedStream> load(String name, long readFrom, int readBytes) {
        return onIo("loading a stream", c -> {
            StreamRow row = StreamTables.find(c, name);
            if (row == null) {
                return null;
            }
            SharedStream stream = chain(c, row);
            if (readFrom >= 0 && readFrom < row.tail()) {
                warm(c, stream, readFrom, readBytes);
            }
            return stream;
        });
    }

    /** The stream and its fork sources as committed, each with its node-wide log. */
    private SharedStream chain(Connection c, StreamRow row) throws SQLException {
        SharedStream source = null;
        StreamDescriptor d = row.descriptor();
        if (d.isFork()) {
            StreamRow src = StreamTables.find(c, d.sourceName());
            if (src != null && src.incarnation() == d.sourceIncarnation()) {
                source = chain(c, src);
            }
        }
        PostgresStreamLog log = logFor(d, row.tail());
        log.committedRetention(row.retainedStart(), row.latestSnapshot());
        return new SharedStream(d, log, row.tail(), row.closed(), row.closedBy(), row.lastStreamSeq(), row.softDeleted(),
                row.lastAccessMillis(), source);
    }

    /** The node's log of an incarnation (so its cache outlives one request), told the committed tail. */
    private PostgresStreamLog logFor(StreamDescriptor d, long tail) {
        PostgresStreamLog log = logs.compute(d.name(), (k, old) -> old != null && old.incarnation() == d.incarnation() ? old
                : old != null && old.incarnation() > d.incarnation() ? old
                : PostgresStreamLog.existing(this, d, tail, CACHE_BYTES_PER_STREAM));
        if (log.incarnation() != d.incarnation()) {
            log = PostgresStreamLog.existing(this, d, tail, CACHE_BYTES_PER_STREAM); // an older load: do not cache it
        }
        log.committedTail(tail);
        return log;
    }

    /** Loads the chunks a read from {@code from} will use, along the fork chain, skipping cached ones. */
    private void warm(Connection c, SharedStream stream, long from, int readBytes) throws SQLException {
        long pos = from;
        long budget = readBytes;
        while (pos < stream.tail() && budget > 0) {
            SharedStream holder = stream;
            long limit = stream.tail();
            while (holder.source() != null && pos < holder.descriptor().forkPosition()) {
                limit = Math.min(limit, holder.descriptor().forkPosition());
                holder = holder.source();
            }
            PostgresStreamLog log = (PostgresStreamLog) holder.log();
            long end = Math.min(limit, pos + budget);
            if (!log.covered(pos, end)) {
                fill(c, log, pos, end);
            }
            long reached = Math.min(limit, Math.max(end, pos + 1));
            budget -= reached - pos;
            pos = reached;
        }
    }

    private static void fill(Connection c, PostgresStreamLog log, long from, long to) throws SQLException {
        for (ChunkRow chunk : StreamTables.chunks(c, log.name(), log.incarnation(), from, to, to - from)) {
            log.cache(chunk);
        }
    }

    /** Loads {@code [from, to)} of one log into its cache (a read found it missing). */
    CompletableFuture<Void> fetch(PostgresStreamLog log, long from, long to) {
        return onIo("reading stream data", c -> {
            fill(c, log, from, to);
            return null;
        });
    }

    @Override
    public CompletableFuture<WriteResult> write(StreamLog log, AppendEntry entry, boolean typeMatches, boolean dryRun,
                                                long expectedTail) {
        return committer.write((PostgresStreamLog) log, entry, typeMatches, dryRun, expectedTail);
    }

    /** Commits a new stream row with its initial data (the first append or sync of a creating log). */
    CompletableFuture<Void> create(PostgresStreamLog log, AppendEntry entry) {
        return committer.create(log, entry, System.currentTimeMillis()).thenRun(() -> logs.put(log.name(), log));
    }

    @Override
    public CompletableFuture<Boolean> delete(String name, long incarnation) {
        return onIo("deleting a stream", c -> StreamDeletion.delete(c, name, incarnation, nodeId))
                .thenApply(soft -> {
                    if (soft == null) {
                        throw new StorageConflict("stream " + name + " is no longer incarnation " + incarnation);
                    }
                    if (!soft) {
                        logs.computeIfPresent(name, (k, log) -> log.incarnation() == incarnation ? null : log);
                    }
                    return soft;
                });
    }

    @Override
    public CompletableFuture<List<String>> names() {
        return onIo("listing streams", StreamTables::names);
    }

    @Override
    public CompletableFuture<Integer> sweepExpired(long nowMillis) {
        return onIo("expiring streams", c -> {
            int deleted = 0;
            for (StreamTables.Key k : StreamTables.expired(c, nowMillis - EXPIRY_GRACE_MILLIS, SWEEP_BATCH)) {
                if (StreamDeletion.delete(c, k.name(), k.incarnation(), nodeId) != null) {
                    deleted++;
                }
            }
            return deleted;
        });
    }

    private volatile java.util.function.LongConsumer reclaimed = bytes -> {};

    @Override
    public void onReclaimed(java.util.function.LongConsumer listener) {
        reclaimed = listener;
    }

    /**
     * One retention round on an io thread (never the committer, never an event loop): per page of
     * streams with a policy, deletes chunks below the start of the previous round in batches of
     * {@link RetentionTables#DELETE_BATCH}, then moves starts (RetentionTables).
     */
    @Override
    public CompletableFuture<Long> sweepRetention(long nowMillis, long graceMillis) {
        return onIo("applying retention", c -> {
            c.setAutoCommit(true);
            long freed = 0;
            String after = "";
            for (;;) {
                List<RetentionTables.Candidate> page = RetentionTables.candidates(c, after);
                for (RetentionTables.Candidate k : page) {
                    // the start moves first, so the free step records the new one for the next round
                    RetentionTables.advance(c, k, nowMillis);
                    freed += RetentionTables.free(c, k, nowMillis, graceMillis);
                }
                if (page.size() < RetentionTables.PAGE) {
                    break;
                }
                after = page.get(page.size() - 1).name();
            }
            if (freed > 0) {
                reclaimed.accept(freed);
            }
            return freed;
        });
    }

    @Override
    public void onChange(Consumer<StreamChange> listener) {
        changes.start(note -> listener.accept(note == null ? null : taken(note)));
    }

    /**
     * Brings this node's log of the incarnation a note names up to the note's state (its tail, and
     * the chunks that came with it), and tells the engine which log now holds that state. Without
     * such a log here, or for a note without state, only the name goes on: the engine reloads.
     */
    private StreamChange taken(ChangeNote note) {
        ChangeNote.State st = note.state();
        PostgresStreamLog log = st == null ? null : logs.get(note.name());
        if (log == null || log.incarnation() != st.incarnation()) {
            return StreamChange.of(note.name());
        }
        for (ChunkRow chunk : note.chunks()) {
            log.cache(chunk);
        }
        log.committedTail(st.tail());
        return new StreamChange(note.name(), log, st.tail(), st.closed(), st.closedBy(), st.lastStreamSeq());
    }

    /** Records an access for sliding TTLs: written right away, together with the accesses that arrive meanwhile. */
    void touched(PostgresStreamLog log, long nowMillis) {
        if (log.descriptor.ttlSeconds() != null) {
            touches.merge(log, nowMillis, Math::max);
            if (touchFlushPending.compareAndSet(false, true)) {
                try {
                    timer.execute(this::flushTouches);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    touchFlushPending.set(false);
                }
            }
        }
    }

    private void flushTouches() {
        touchFlushPending.set(false);
        if (touches.isEmpty()) {
            return;
        }
        List<Map.Entry<PostgresStreamLog, Long>> batch = new ArrayList<>();
        for (PostgresStreamLog log : List.copyOf(touches.keySet())) {
            Long at = touches.remove(log);
            if (at != null) {
                batch.add(Map.entry(log, at));
            }
        }
        try (Connection c = db.connection()) {
            StreamTables.touch(c, batch);
        } catch (SQLException e) {
            // a lost access only shortens a sliding TTL by a second; the next flush carries newer ones
            LOG.log(System.Logger.Level.DEBUG, "recording stream accesses failed: " + e.getMessage());
        }
    }

    private void forgetIdleLogs() {
        long cutoff = System.currentTimeMillis() - IDLE_LOG_MILLIS;
        logs.values().removeIf(log -> log.lastUsedMillis < cutoff);
    }

    /** Where each message of an append ends (null: the append is one message). */
    static int[] messageEnds(AppendEntry e) {
        int[] ends = e.messageEnds();
        return ends.length == 1 && ends[0] == e.data().length ? null : ends;
    }

    /** A database call on the io threads; failures become the exceptions requests answer 503 or 500 for. */
    private <T> CompletableFuture<T> onIo(String what, SqlCall<T> call) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection c = db.connection()) {
                return call.apply(c);
            } catch (SQLException e) {
                throw SqlFailures.of(what, e);
            }
        }, io);
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T apply(Connection c) throws SQLException;
    }

    @Override
    public void close() {
        committer.close();
        changes.close();
        timer.shutdownNow();
        io.shutdown();
        try {
            io.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushTouches();
        db.close();
    }
}
