package io.durablestreams.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.WriterRules.Kind;
import io.durablestreams.engine.store.ProducerTuple;
import org.junit.jupiter.api.Test;

class WriterRulesTest {
    private static final ProducerTuple P = new ProducerTuple("p", 2, 8);

    @Test
    void aNewProducerMustStartAtSeqZero() {
        assertThat(WriterRules.producer(-1, -1, 0, 0).kind()).isEqualTo(Kind.ACCEPT);
        assertThat(WriterRules.producer(-1, -1, 5, 0).kind()).isEqualTo(Kind.ACCEPT);
        WriterRules.Verdict gap = WriterRules.producer(-1, -1, 0, 3);
        assertThat(gap.kind()).isEqualTo(Kind.SEQUENCE_GAP);
        assertThat(gap.expectedSeq()).isZero();
    }

    @Test
    void sameEpochAcceptsTheNextSeqAndDeduplicatesOldOnes() {
        assertThat(WriterRules.producer(2, 7, 2, 8).kind()).isEqualTo(Kind.ACCEPT);
        WriterRules.Verdict dup = WriterRules.producer(2, 7, 2, 3);
        assertThat(dup.kind()).isEqualTo(Kind.DUPLICATE);
        assertThat(dup.lastSeq()).isEqualTo(7);
        assertThat(WriterRules.producer(2, 7, 2, 7).kind()).isEqualTo(Kind.DUPLICATE);
        WriterRules.Verdict gap = WriterRules.producer(2, 7, 2, 10);
        assertThat(gap.kind()).isEqualTo(Kind.SEQUENCE_GAP);
        assertThat(gap.expectedSeq()).isEqualTo(8);
    }

    @Test
    void olderEpochsAreFencedAndNewerOnesMustStartAtZero() {
        WriterRules.Verdict stale = WriterRules.producer(2, 7, 1, 8);
        assertThat(stale.kind()).isEqualTo(Kind.STALE_EPOCH);
        assertThat(stale.currentEpoch()).isEqualTo(2);
        assertThat(WriterRules.producer(2, 7, 3, 0).kind()).isEqualTo(Kind.ACCEPT);
        assertThat(WriterRules.producer(2, 7, 3, 1).kind()).isEqualTo(Kind.EPOCH_SEQ_NOT_ZERO);
    }

    @Test
    void closureComesFirstAndOnlyItsOwnRepeatSucceeds() {
        // an append after a close: only the closing producer's retry is a repeat
        assertThat(WriterRules.decide(true, P, null, 2, 8, true, false, P, null, 0, -1).kind()).isEqualTo(Kind.CLOSE_REPEATED);
        assertThat(WriterRules.decide(true, P, null, 2, 8, true, true, null, null, 0, -1).kind()).isEqualTo(Kind.CLOSED);
        assertThat(WriterRules.decide(true, null, null, -1, -1, true, true, P, null, 0, -1).kind()).isEqualTo(Kind.CLOSED);
        // a close after a close: a plain close repeats any close; a producer's only its own
        assertThat(WriterRules.decide(true, P, null, 2, 8, false, true, null, null, 0, -1).kind()).isEqualTo(Kind.CLOSE_REPEATED);
        assertThat(WriterRules.decide(true, null, null, 2, 8, false, true, P, null, 0, -1).kind()).isEqualTo(Kind.CLOSED);
        assertThat(WriterRules.decide(true, P, null, 2, 8, false, true, P, null, 0, -1).lastSeq()).isEqualTo(8);
    }

    @Test
    void contentTypeThenProducerThenStreamSeq() {
        assertThat(WriterRules.decide(false, null, null, 2, 7, true, false, P, "b", 0, -1).kind()).isEqualTo(Kind.CONTENT_TYPE_MISMATCH);
        assertThat(WriterRules.decide(false, null, "z", 2, 9, true, true, P, "b", 0, -1).kind()).isEqualTo(Kind.DUPLICATE);
        assertThat(WriterRules.decide(false, null, "b", 2, 7, true, true, P, "b", 0, -1).kind()).isEqualTo(Kind.STREAM_SEQ_CONFLICT);
        assertThat(WriterRules.decide(false, null, "b", 2, 7, true, true, P, "c", 0, -1).kind()).isEqualTo(Kind.ACCEPT);
        // Stream-Seq compares UTF-8 bytes, not UTF-16 units
        assertThat(WriterRules.decide(false, null, "\uFFFF", -1, -1, true, true, null, "\uD83D\uDE00", 0, -1).kind()).isEqualTo(Kind.ACCEPT);
        // a close carries no Stream-Seq check and no content type
        assertThat(WriterRules.decide(false, null, "b", -1, -1, false, false, null, "a", 0, -1).kind()).isEqualTo(Kind.ACCEPT);
    }

    @Test
    void aConditionalWriteNeedsTheTailItExpectsAfterClosureAndContentTypeBeforeStreamSeq() {
        assertThat(WriterRules.decide(false, null, null, -1, -1, true, true, null, null, 10, 10).kind()).isEqualTo(Kind.ACCEPT);
        assertThat(WriterRules.decide(false, null, null, -1, -1, true, true, null, null, 10, 9).kind()).isEqualTo(Kind.TAIL_MOVED);
        assertThat(WriterRules.decide(false, null, null, -1, -1, true, false, null, null, 10, 9).kind()).isEqualTo(Kind.CONTENT_TYPE_MISMATCH);
        assertThat(WriterRules.decide(false, null, "b", -1, -1, true, true, null, "a", 10, 9).kind()).isEqualTo(Kind.TAIL_MOVED);
        assertThat(WriterRules.decide(false, null, "b", -1, -1, true, true, null, "a", 10, 10).kind()).isEqualTo(Kind.STREAM_SEQ_CONFLICT);
        // an append to a closed stream is refused as closed, whatever it expected
        assertThat(WriterRules.decide(true, null, null, -1, -1, true, true, null, null, 10, 9).kind()).isEqualTo(Kind.CLOSED);
        // a conditional close of a closed stream repeats the close only at the tail it expects
        assertThat(WriterRules.decide(true, null, null, -1, -1, false, true, null, null, 10, 10).kind()).isEqualTo(Kind.CLOSE_REPEATED);
        assertThat(WriterRules.decide(true, null, null, -1, -1, false, true, null, null, 10, 9).kind()).isEqualTo(Kind.TAIL_MOVED);
        assertThat(WriterRules.decide(false, null, null, -1, -1, false, true, null, null, 10, 9).kind()).isEqualTo(Kind.TAIL_MOVED);
    }
}
