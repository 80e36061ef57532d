package io.durablestreams.engine;

/**
 * The idempotent-producer validation of PROTOCOL.md §5.2.1 as a pure function of the current
 * state and the request's (epoch, seq). The caller holds the stream lock and commits the
 * outcome only after the append is stored.
 */
record ProducerCheck(Kind kind, long currentEpoch, long lastSeq, long expectedSeq) {
    enum Kind { ACCEPT, DUPLICATE, STALE_EPOCH, EPOCH_SEQ_NOT_ZERO, SEQUENCE_GAP }

    static ProducerCheck of(ProducerState state, long epoch, long seq) {
        if (state == null) {
            return seq == 0 ? accept() : gap(0);
        }
        if (epoch < state.epoch) {
            return new ProducerCheck(Kind.STALE_EPOCH, state.epoch, state.lastSeq, -1);
        }
        if (epoch > state.epoch) {
            return seq == 0 ? accept() : new ProducerCheck(Kind.EPOCH_SEQ_NOT_ZERO, state.epoch, state.lastSeq, 0);
        }
        if (seq <= state.lastSeq) {
            return new ProducerCheck(Kind.DUPLICATE, state.epoch, state.lastSeq, -1);
        }
        if (seq == state.lastSeq + 1) {
            return accept();
        }
        return gap(state.lastSeq + 1);
    }

    private static ProducerCheck accept() {
        return new ProducerCheck(Kind.ACCEPT, -1, -1, -1);
    }

    private static ProducerCheck gap(long expected) {
        return new ProducerCheck(Kind.SEQUENCE_GAP, -1, -1, expected);
    }
}
