package io.durablestreams.store.file;

import io.durablestreams.engine.store.ProducerTuple;
import java.util.HashMap;
import java.util.Map;

/**
 * The writer state of a stream as its records describe it: producers, the last Stream-Seq,
 * closure, soft deletion, and retention's retained start and latest snapshot. Rebuilt by replaying records on top of a checkpoint. Not
 * thread-safe: owned by its {@link FileStreamLog}, which guards it with its monitor.
 */
final class WriterState {
    /** producer id → {epoch, lastSeq}. */
    final Map<String, long[]> producers;
    String lastStreamSeq;
    boolean closed;
    ProducerTuple closedBy;
    boolean softDeleted;
    /** The first position served (retention); the latest snapshot's position, or -1. */
    long retainedStart;
    long latestSnapshot;

    /** The state of a stream with no records yet, served from {@code retainedStart}. */
    WriterState(long retainedStart, long latestSnapshot) {
        this(new HashMap<>(), null, false, null, false, retainedStart, latestSnapshot);
    }

    WriterState(Map<String, long[]> producers, String lastStreamSeq, boolean closed, ProducerTuple closedBy,
                boolean softDeleted, long retainedStart, long latestSnapshot) {
        this.producers = producers;
        this.lastStreamSeq = lastStreamSeq;
        this.closed = closed;
        this.closedBy = closedBy;
        this.softDeleted = softDeleted;
        this.retainedStart = retainedStart;
        this.latestSnapshot = latestSnapshot;
    }

    void apply(LogRecord r) {
        if (r.type() == RecordFormat.TYPE_SOFT_DELETE) {
            softDeleted = true;
            return;
        }
        if (r.type() == RecordFormat.TYPE_RETAIN) {
            retainedStart = Math.max(retainedStart, r.retainedStart());
            return;
        }
        if (r.snapshot()) {
            latestSnapshot = r.position();
            retainedStart = Math.max(retainedStart, r.position());
        }
        if (r.producer() != null) {
            producers.put(r.producer().id(), new long[] {r.producer().epoch(), r.producer().seq()});
        }
        if (r.streamSeq() != null) {
            lastStreamSeq = r.streamSeq();
        }
        if (r.close()) {
            closed = true;
            closedBy = r.producer();
        }
    }

    WriterState copy() {
        Map<String, long[]> p = new HashMap<>(producers.size() * 2);
        producers.forEach((id, v) -> p.put(id, v.clone()));
        return new WriterState(p, lastStreamSeq, closed, closedBy, softDeleted, retainedStart, latestSnapshot);
    }
}
