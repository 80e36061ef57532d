package io.durablestreams.engine;

/** Idempotent-producer state for one (stream, producer id): guarded by the stream lock. */
final class ProducerState {
    long epoch;
    long lastSeq;

    ProducerState(long epoch, long lastSeq) {
        this.epoch = epoch;
        this.lastSeq = lastSeq;
    }
}
