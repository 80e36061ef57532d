package io.durablestreams.engine.store;

import java.util.Map;

/**
 * A stream as a durable store found it at startup: its descriptor, its log (whose tail is the
 * end of the last complete, checksummed append) and the writer state committed with that data.
 *
 * @param producers       producer id → {epoch, lastSeq}
 * @param closedBy        producer tuple of the closing request, or null
 * @param lastAccessMillis last recorded access, for sliding TTLs (may lag by the checkpoint interval)
 */
public record RecoveredStream(
        StreamDescriptor descriptor,
        StreamLog log,
        boolean closed,
        ProducerTuple closedBy,
        String lastStreamSeq,
        Map<String, long[]> producers,
        boolean softDeleted,
        long lastAccessMillis) {}
