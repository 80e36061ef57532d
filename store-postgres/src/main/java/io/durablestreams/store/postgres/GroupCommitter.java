package io.durablestreams.store.postgres;

import io.durablestreams.engine.WriterRules;
import io.durablestreams.engine.store.AppendEntry;
import io.durablestreams.engine.store.ProducerTuple;
import io.durablestreams.engine.store.StorageConflict;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.WriteResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: one thread takes every queued creation and write (of any streams) and applies
 * them in one transaction — the stream rows locked in name order (so two nodes' transactions
 * cannot deadlock on them), each write decided by {@link WriterRules} against the committed
 * writer state in queue order (writes to one stream see each other, as under a lock), chunks,
 * writer state and producer state stored, other nodes notified — then one commit acknowledges
 * them all. Acknowledged ⇔ committed: a future completes only after its commit returned.
 *
 * <p>A commit whose answer is lost (the connection dropped) has an unknown outcome: its writers
 * get {@link PostgresUnavailableException} (503) and retry; producers' retries are deduplicated
 * by {@code ds_producer} on whichever node they reach.
 */
final class GroupCommitter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GroupCommitter.class.getName());
    /** Most operations in one transaction. */
    static final int MAX_BATCH = 512;
    /** Most payload bytes in one transaction (one oversized append still goes alone). */
    static final long MAX_BATCH_BYTES = 16L * 1024 * 1024;
    private static final int MAX_ATTEMPTS = 3;

    private final PostgresDatabase db;
    private final String nodeId;
    private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;
    private final java.util.function.LongConsumer onCommit;

    /** A creation (initial data and closure in the same row insert) or a write. */
    private sealed interface Op permits Create, Write {
        CompletableFuture<?> future();

        String name();
    }

    private record Create(PostgresStreamLog log, AppendEntry entry, long nowMillis, CompletableFuture<Void> future) implements Op {
        public String name() {
            return log.name();
        }
    }

    private record Write(PostgresStreamLog log, AppendEntry entry, boolean typeMatches, boolean dryRun, long expectedTail,
                         CompletableFuture<WriteResult> future) implements Op {
        public String name() {
            return log.name();
        }
    }

    GroupCommitter(PostgresDatabase db, String nodeId, java.util.function.LongConsumer onCommit) {
        this.db = db;
        this.nodeId = nodeId;
        this.onCommit = onCommit;
        this.thread = new Thread(this::run, "ds-postgres-commit");
        thread.setDaemon(true);
        thread.start();
    }

    CompletableFuture<Void> create(PostgresStreamLog log, AppendEntry entry, long nowMillis) {
        return enqueue(new Create(log, entry, nowMillis, new CompletableFuture<>()));
    }

    CompletableFuture<WriteResult> write(PostgresStreamLog log, AppendEntry entry, boolean typeMatches, boolean dryRun,
                                         long expectedTail) {
        return enqueue(new Write(log, entry, typeMatches, dryRun, expectedTail, new CompletableFuture<>()));
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> enqueue(Op op) {
        if (closing) {
            return CompletableFuture.failedFuture(new PostgresUnavailableException("the store is closing", null));
        }
        queue.add(op);
        return (CompletableFuture<T>) op.future();
    }

    private void run() {
        List<Op> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                Op first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long bytes = first instanceof Write w ? w.entry().data().length : ((Create) first).entry().data().length;
                Op next;
                while (batch.size() < MAX_BATCH && bytes < MAX_BATCH_BYTES && (next = queue.poll()) != null) {
                    batch.add(next);
                    bytes += next instanceof Write w ? w.entry().data().length : ((Create) next).entry().data().length;
                }
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "group commit failed unexpectedly", e);
                for (Op op : batch) {
                    op.future().completeExceptionally(e);
                }
            } finally {
                batch.clear();
            }
        }
    }

    /** One transaction for the batch; retried when it deadlocked with another node's. */
    private void commit(List<Op> batch) {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            Outcomes outcomes = new Outcomes();
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                try {
                    apply(c, batch, outcomes);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                if (SqlFailures.retryable(e) && attempt < MAX_ATTEMPTS) {
                    continue;
                }
                RuntimeException failure = SqlFailures.of("committing " + batch.size() + " writes", e);
                for (Op op : batch) {
                    op.future().completeExceptionally(failure);
                }
                return;
            }
            onCommit.accept(System.nanoTime() - started);
            outcomes.complete();
            return;
        }
    }

    /** What the transaction decided, delivered only once it committed. */
    private static final class Outcomes {
        final List<Runnable> afterCommit = new ArrayList<>();

        void complete() {
            afterCommit.forEach(Runnable::run);
        }
    }

    private void apply(Connection c, List<Op> batch, Outcomes outcomes) throws SQLException {
        Set<String> names = new TreeSet<>();
        for (Op op : batch) {
            names.add(op.name());
        }
        Map<String, StreamRow> rows = StreamTables.lock(c, names);
        List<StreamTables.PendingChunk> chunks = new ArrayList<>();
        // one write per producer: its state after the batch (the statement may touch a row only once)
        Map<StreamTables.ProducerKey, StreamTables.ProducerWrite> producerWrites = new LinkedHashMap<>();
        Set<String> changed = new LinkedHashSet<>();
        Map<String, StreamRow> updated = new HashMap<>();
        Map<StreamTables.ProducerKey, long[]> producers = producerStates(c, batch);
        for (Op op : batch) {
            if (op instanceof Create cr) {
                create(c, cr, rows, chunks, changed, outcomes);
            } else {
                write((Write) op, rows, producers, chunks, producerWrites, updated, changed, outcomes);
            }
        }
        StreamTables.commitWrites(c, chunks, updated.values(), producerWrites.values(), notes(changed, updated, chunks));
    }

    /**
     * What other nodes hear: a written stream's committed state with the batch's chunks of it (so
     * they wake readers without a query), only the name of a created one.
     */
    private List<String> notes(Set<String> changed, Map<String, StreamRow> updated, List<StreamTables.PendingChunk> chunks) {
        List<String> notes = new ArrayList<>(changed.size());
        for (String name : changed) {
            StreamRow row = updated.get(name);
            if (row == null) {
                notes.add(ChangeNote.nameOnly(nodeId, name));
                continue;
            }
            List<ChunkRow> own = new ArrayList<>();
            for (StreamTables.PendingChunk ch : chunks) {
                if (ch.name().equals(name) && ch.incarnation() == row.incarnation()) {
                    own.add(ch.chunk());
                }
            }
            notes.add(ChangeNote.write(nodeId, row, own));
        }
        return notes;
    }

    private void create(Connection c, Create cr, Map<String, StreamRow> rows, List<StreamTables.PendingChunk> chunks,
                        Set<String> changed, Outcomes outcomes) throws SQLException {
        StreamDescriptor d = cr.log().descriptor;
        if (rows.containsKey(d.name())) {
            outcomes.afterCommit.add(() -> cr.future().completeExceptionally(new StorageConflict("stream " + d.name() + " exists")));
            return;
        }
        if (d.isFork() && !StreamTables.addForkRef(c, d.sourceName(), d.sourceIncarnation())) {
            outcomes.afterCommit.add(() -> cr.future().completeExceptionally(
                    new StorageConflict("fork source " + d.sourceName() + " changed")));
            return;
        }
        AppendEntry e = cr.entry();
        long base = cr.log().base();
        long tail = base + e.data().length;
        if (!StreamTables.insert(c, d, tail, e.close(), cr.nowMillis())) {
            // another node's creation committed first (after our lock found no row)
            throw new SQLException("stream " + d.name() + " created concurrently", "40001");
        }
        rows.put(d.name(), new StreamRow(d, false, tail, e.close(), null, null, cr.nowMillis(), 0, d.initialStart(), d.initialSnapshot()));
        if (e.hasData()) {
            chunks.add(new StreamTables.PendingChunk(d.name(), d.incarnation(),
                    new ChunkRow(base, tail, PostgresStorage.messageEnds(e), e.data()), e.appendedAtMillis()));
        }
        changed.add(d.name());
        outcomes.afterCommit.add(() -> {
            cr.log().created(e);
            cr.future().complete(null);
        });
    }

    /** The committed state of every producer the batch's writes name, in one query (missing: new producers). */
    private static Map<StreamTables.ProducerKey, long[]> producerStates(Connection c, List<Op> batch) throws SQLException {
        Set<StreamTables.ProducerKey> keys = new java.util.HashSet<>();
        for (Op op : batch) {
            if (op instanceof Write w && w.entry().producer() != null) {
                keys.add(new StreamTables.ProducerKey(w.log().name(), w.log().incarnation(), w.entry().producer().id()));
            }
        }
        return StreamTables.producers(c, keys);
    }

    private static void write(Write w, Map<String, StreamRow> rows, Map<StreamTables.ProducerKey, long[]> producers,
                              List<StreamTables.PendingChunk> chunks,
                              Map<StreamTables.ProducerKey, StreamTables.ProducerWrite> producerWrites,
                              Map<String, StreamRow> updated, Set<String> changed, Outcomes outcomes) {
        PostgresStreamLog log = w.log();
        StreamRow row = rows.get(log.name());
        if (row == null || row.incarnation() != log.incarnation() || row.softDeleted()) {
            outcomes.afterCommit.add(() -> w.future().completeExceptionally(
                    new StorageConflict("stream " + log.name() + " is no longer incarnation " + log.incarnation())));
            return;
        }
        AppendEntry e = w.entry();
        ProducerTuple p = e.producer();
        long[] state = null;
        StreamTables.ProducerKey key = null;
        if (p != null) {
            // one array per producer for the whole batch: a later write of the same producer sees this one's effect
            key = new StreamTables.ProducerKey(log.name(), log.incarnation(), p.id());
            state = producers.computeIfAbsent(key, k -> new long[] {-1, -1});
        }
        WriterRules.Verdict verdict = WriterRules.decide(row.closed(), row.closedBy(), row.lastStreamSeq(),
                state == null ? -1 : state[0], state == null ? -1 : state[1], e.hasData(), w.typeMatches(), p, e.streamSeq(),
                row.tail(), w.expectedTail());
        if (!verdict.accepted() || w.dryRun()) {
            WriteResult r = new WriteResult(verdict, row.tail(), row.closed(), row.closedBy(), row.lastStreamSeq());
            outcomes.afterCommit.add(() -> w.future().complete(r));
            return;
        }
        long start = row.tail();
        long end = start + e.data().length;
        if (e.hasData()) {
            ChunkRow chunk = new ChunkRow(start, end, PostgresStorage.messageEnds(e), e.data());
            chunks.add(new StreamTables.PendingChunk(log.name(), log.incarnation(), chunk, e.appendedAtMillis()));
            outcomes.afterCommit.add(() -> log.cache(chunk));
        }
        StreamRow next = row.withWrite(end, row.closed() || e.close(), e.close() ? p : row.closedBy(),
                e.streamSeq() != null ? e.streamSeq() : row.lastStreamSeq());
        if (e.snapshot() && e.hasData()) {
            next = next.withSnapshot(start);
        }
        rows.put(log.name(), next);
        updated.put(log.name(), next);
        if (p != null) {
            state[0] = p.epoch();
            state[1] = p.seq();
            producerWrites.put(key, new StreamTables.ProducerWrite(log.name(), log.incarnation(), p));
        }
        changed.add(log.name());
        WriteResult r = new WriteResult(verdict, end, next.closed(), next.closedBy(), next.lastStreamSeq());
        StreamRow committed = next;
        outcomes.afterCommit.add(() -> {
            log.committedTail(end);
            log.committedRetention(committed.retainedStart(), committed.latestSnapshot());
            w.future().complete(r);
        });
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the transaction went with it
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Op op;
        while ((op = queue.poll()) != null) {
            op.future().completeExceptionally(new PostgresUnavailableException("the store closed", null));
        }
    }
}
