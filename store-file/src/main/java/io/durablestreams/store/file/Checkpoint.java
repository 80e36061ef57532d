package io.durablestreams.store.file;

import io.durablestreams.engine.store.StreamDescriptor;

/**
 * Where a stream's durable records ended at some moment, with the writer state they describe.
 * Recovery trusts everything before {@code (segmentBase, logOffset)} and scans only what follows.
 * A checkpoint is written only after the bytes it covers were forced, so it never claims data a
 * crash could take back.
 *
 * @param tail             stream position after the last covered record
 * @param segmentBase      base position of the segment holding the last covered record
 * @param logOffset        byte offset in that segment's record log just after the last covered record
 * @param lastAccessMillis last recorded access, for sliding TTLs
 */
record Checkpoint(long tail, long segmentBase, long logOffset, long lastAccessMillis, WriterState state) {

    /** The state of a stream with no records yet, at {@code base}, served from the descriptor's initial start. */
    static Checkpoint empty(long base, long createdAtMillis, StreamDescriptor d) {
        return new Checkpoint(base, base, 0, createdAtMillis, new WriterState(d.initialStart(), d.initialSnapshot()));
    }

    /** Whether this checkpoint covers more of the record log than {@code other}. */
    boolean isAfter(Checkpoint other) {
        return segmentBase > other.segmentBase || segmentBase == other.segmentBase && logOffset > other.logOffset;
    }
}
