package io.durablestreams.store.file;

import io.durablestreams.engine.store.ProducerTuple;
import java.util.HashMap;
import java.util.Map;

/**
 * The writer state of a stream as its records describe it: producers, the last Stream-Seq,
 * closure and soft deletion. Rebuilt by replaying records on top of a checkpoint. Not
 * thread-safe: owned by its {@link FileStreamLog}, which guards it with its monitor.
 */
final class WriterState {
    /** producer id → {epoch, lastSeq}. */
    final Map<String, long[]> producers;
    String lastStreamSeq;
    boolean closed;
    ProducerTuple closedBy;
    boolean softDeleted;

    WriterState() {
        this(new HashMap<>(), null, false, null, false);
    }

    WriterState(Map<String, long[]> producers, String lastStreamSeq, boolean closed, ProducerTuple closedBy,
                boolean softDeleted) {
        this.producers = producers;
        this.lastStreamSeq = lastStreamSeq;
        this.closed = closed;
        this.closedBy = closedBy;
        this.softDeleted = softDeleted;
    }

    void apply(LogRecord r) {
        if (r.type() == RecordFormat.TYPE_SOFT_DELETE) {
            softDeleted = true;
            return;
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
        return new WriterState(p, lastStreamSeq, closed, closedBy, softDeleted);
    }
}
