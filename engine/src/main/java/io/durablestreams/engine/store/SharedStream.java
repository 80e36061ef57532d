package io.durablestreams.engine.store;

/**
 * A stream as a {@link SharedStreams} store has it committed.
 *
 * @param log              the incarnation's log (the same object for the same incarnation, so its cache lasts)
 * @param tail             position after the last committed byte
 * @param lastAccessMillis the last access the store recorded, for sliding TTLs (may lag)
 * @param source           the fork source as committed, or null when not a fork
 */
public record SharedStream(StreamDescriptor descriptor, StreamLog log, long tail, boolean closed, ProducerTuple closedBy,
                           String lastStreamSeq, boolean softDeleted, long lastAccessMillis, SharedStream source) {
}
