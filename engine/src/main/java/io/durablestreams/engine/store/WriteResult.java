package io.durablestreams.engine.store;

import io.durablestreams.engine.WriterRules;

/**
 * What a {@link SharedStreams} store did with a write: the verdict of the write rules against the
 * committed state, and the stream's writer state after it (the new tail when accepted, else the
 * tail the verdict saw).
 */
public record WriteResult(WriterRules.Verdict verdict, long tail, boolean closed, ProducerTuple closedBy, String lastStreamSeq) {
}
