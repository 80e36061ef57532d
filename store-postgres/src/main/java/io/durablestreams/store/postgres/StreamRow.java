package io.durablestreams.store.postgres;

import io.durablestreams.engine.store.ProducerTuple;
import io.durablestreams.engine.store.StreamDescriptor;

/**
 * One {@code ds_stream} row: a stream's fixed configuration and its writer state as committed.
 *
 * @param tail position after the last committed byte
 * @param retainedStart the first position served (retention)
 * @param latestSnapshot where the latest snapshot append starts, or -1
 */
public record StreamRow(StreamDescriptor descriptor, boolean softDeleted, long tail, boolean closed,
                        ProducerTuple closedBy, String lastStreamSeq, long lastAccessMillis, int forkRefs,
                        long retainedStart, long latestSnapshot) {

    public String name() {
        return descriptor.name();
    }

    public long incarnation() {
        return descriptor.incarnation();
    }

    StreamRow withWrite(long newTail, boolean newClosed, ProducerTuple newClosedBy, String newLastStreamSeq) {
        return new StreamRow(descriptor, softDeleted, newTail, newClosed, newClosedBy, newLastStreamSeq, lastAccessMillis, forkRefs,
                retainedStart, latestSnapshot);
    }

    /** The row after a snapshot append starting at {@code position}: served from there on. */
    StreamRow withSnapshot(long position) {
        return new StreamRow(descriptor, softDeleted, tail, closed, closedBy, lastStreamSeq, lastAccessMillis, forkRefs,
                Math.max(retainedStart, position), position);
    }
}
