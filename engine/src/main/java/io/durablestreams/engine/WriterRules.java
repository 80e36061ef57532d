package io.durablestreams.engine;

import io.durablestreams.engine.store.ProducerTuple;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Whether a write (an append, an append-and-close, a close) may be applied to a stream's current
 * writer state, as a pure function, in protocol order (PROTOCOL.md §5.2, §5.2.1, §5.3): closure,
 * content type, producer epoch/seq, the expected tail of a conditional append
 * (docs/extensions/conditional-appends.md), {@code Stream-Seq}. Whoever holds the authority over the
 * stream applies it while writes to that stream are serialized — the local stores under the
 * stream's monitor — and commits the write's effects only if the verdict is {@link Kind#ACCEPT}.
 * Request validation that needs no state (headers, JSON syntax) happens before; stream existence
 * and incarnation preconditions too.
 */
public final class WriterRules {
    private WriterRules() {
    }

    /** What to do with the write. */
    public enum Kind {
        /** Apply it. */
        ACCEPT,
        /** The stream is closed and this write repeats its close (same producer, or a plain close): succeed without writing. */
        CLOSE_REPEATED,
        /** The stream is closed by another request: 409 stream-closed. */
        CLOSED,
        /** The body's content type is not the stream's: 409. */
        CONTENT_TYPE_MISMATCH,
        /** The producer's seq was already applied in this epoch: 204, nothing written. */
        DUPLICATE,
        /** A newer epoch of this producer exists: 403. */
        STALE_EPOCH,
        /** A new epoch must start at seq 0: 400. */
        EPOCH_SEQ_NOT_ZERO,
        /** Seqs were skipped: 409 with the expected seq. */
        SEQUENCE_GAP,
        /** {@code Stream-Seq} is not greater than the last one: 409. */
        STREAM_SEQ_CONFLICT,
        /** A conditional write expected another tail: 412 with the current one, nothing written. */
        TAIL_MOVED
    }

    /**
     * A verdict, with the numbers its response names.
     *
     * @param currentEpoch the producer's current epoch (STALE_EPOCH)
     * @param lastSeq      the producer's last applied seq (DUPLICATE), or the closing producer's (CLOSE_REPEATED)
     * @param expectedSeq  the seq the producer should have sent (SEQUENCE_GAP)
     */
    public record Verdict(Kind kind, long currentEpoch, long lastSeq, long expectedSeq) {
        static final Verdict ACCEPT = new Verdict(Kind.ACCEPT, -1, -1, -1);
        static final Verdict CLOSED = new Verdict(Kind.CLOSED, -1, -1, -1);
        static final Verdict CONTENT_TYPE_MISMATCH = new Verdict(Kind.CONTENT_TYPE_MISMATCH, -1, -1, -1);
        static final Verdict STREAM_SEQ_CONFLICT = new Verdict(Kind.STREAM_SEQ_CONFLICT, -1, -1, -1);
        static final Verdict TAIL_MOVED = new Verdict(Kind.TAIL_MOVED, -1, -1, -1);

        public boolean accepted() {
            return kind == Kind.ACCEPT;
        }
    }

    /**
     * The verdict on a write.
     *
     * @param closed        whether the stream is closed (by a write already accepted)
     * @param closedBy      the producer tuple of the closing write, or null
     * @param lastStreamSeq the last accepted {@code Stream-Seq}, or null
     * @param producerEpoch the current epoch of the write's producer, or -1 when the stream has none for its id
     * @param producerLastSeq that producer's last applied seq (ignored when {@code producerEpoch} is -1)
     * @param hasData       whether the write carries data (false: a close only)
     * @param typeMatches   whether the body's content type is the stream's (ignored without data)
     * @param producer      the write's producer tuple, or null
     * @param streamSeq     the write's {@code Stream-Seq}, or null
     * @param tail          the stream's tail: every byte accepted so far
     * @param expectedTail  the tail a conditional write requires, or -1 for an unconditional one
     */
    public static Verdict decide(boolean closed, ProducerTuple closedBy, String lastStreamSeq,
                                 long producerEpoch, long producerLastSeq,
                                 boolean hasData, boolean typeMatches, ProducerTuple producer, String streamSeq,
                                 long tail, long expectedTail) {
        boolean tailMoved = expectedTail >= 0 && expectedTail != tail;
        if (closed) {
            if (!hasData && tailMoved) {
                // a conditional close repeats a close only if nothing was appended after what its writer saw
                return Verdict.TAIL_MOVED;
            }
            boolean repeat = hasData ? producer != null && producer.equals(closedBy) : producer == null || producer.equals(closedBy);
            return repeat ? new Verdict(Kind.CLOSE_REPEATED, -1, closedBy == null ? -1 : closedBy.seq(), -1) : Verdict.CLOSED;
        }
        if (hasData && !typeMatches) {
            return Verdict.CONTENT_TYPE_MISMATCH;
        }
        if (producer != null) {
            Verdict v = producer(producerEpoch, producerLastSeq, producer.epoch(), producer.seq());
            if (!v.accepted()) {
                return v;
            }
        }
        if (tailMoved) {
            return Verdict.TAIL_MOVED;
        }
        if (hasData && streamSeq != null && lastStreamSeq != null && compareBytes(streamSeq, lastStreamSeq) <= 0) {
            return Verdict.STREAM_SEQ_CONFLICT;
        }
        return Verdict.ACCEPT;
    }

    /** The idempotent-producer check alone (§5.2.1); {@code stateEpoch} -1 when the producer is new to the stream. */
    static Verdict producer(long stateEpoch, long stateLastSeq, long epoch, long seq) {
        if (stateEpoch < 0) {
            return seq == 0 ? Verdict.ACCEPT : new Verdict(Kind.SEQUENCE_GAP, -1, -1, 0);
        }
        if (epoch < stateEpoch) {
            return new Verdict(Kind.STALE_EPOCH, stateEpoch, stateLastSeq, -1);
        }
        if (epoch > stateEpoch) {
            return seq == 0 ? Verdict.ACCEPT : new Verdict(Kind.EPOCH_SEQ_NOT_ZERO, stateEpoch, stateLastSeq, 0);
        }
        if (seq <= stateLastSeq) {
            return new Verdict(Kind.DUPLICATE, stateEpoch, stateLastSeq, -1);
        }
        if (seq == stateLastSeq + 1) {
            return Verdict.ACCEPT;
        }
        return new Verdict(Kind.SEQUENCE_GAP, -1, -1, stateLastSeq + 1);
    }

    /** Byte-wise lexicographic comparison of the UTF-8 encodings (§5.2 Stream-Seq). */
    static int compareBytes(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
