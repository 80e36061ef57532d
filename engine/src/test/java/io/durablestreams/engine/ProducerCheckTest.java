package io.durablestreams.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.ProducerCheck.Kind;
import org.junit.jupiter.api.Test;

class ProducerCheckTest {
    @Test
    void aNewProducerMustStartAtSeqZero() {
        assertThat(ProducerCheck.of(null, 0, 0).kind()).isEqualTo(Kind.ACCEPT);
        assertThat(ProducerCheck.of(null, 5, 0).kind()).isEqualTo(Kind.ACCEPT);
        ProducerCheck gap = ProducerCheck.of(null, 0, 3);
        assertThat(gap.kind()).isEqualTo(Kind.SEQUENCE_GAP);
        assertThat(gap.expectedSeq()).isZero();
    }

    @Test
    void sameEpochAcceptsTheNextSeqAndDeduplicatesOldOnes() {
        ProducerState s = new ProducerState(2, 7);
        assertThat(ProducerCheck.of(s, 2, 8).kind()).isEqualTo(Kind.ACCEPT);
        ProducerCheck dup = ProducerCheck.of(s, 2, 3);
        assertThat(dup.kind()).isEqualTo(Kind.DUPLICATE);
        assertThat(dup.lastSeq()).isEqualTo(7);
        assertThat(ProducerCheck.of(s, 2, 7).kind()).isEqualTo(Kind.DUPLICATE);
        ProducerCheck gap = ProducerCheck.of(s, 2, 10);
        assertThat(gap.kind()).isEqualTo(Kind.SEQUENCE_GAP);
        assertThat(gap.expectedSeq()).isEqualTo(8);
    }

    @Test
    void olderEpochsAreFencedAndNewerOnesMustStartAtZero() {
        ProducerState s = new ProducerState(2, 7);
        ProducerCheck stale = ProducerCheck.of(s, 1, 8);
        assertThat(stale.kind()).isEqualTo(Kind.STALE_EPOCH);
        assertThat(stale.currentEpoch()).isEqualTo(2);
        assertThat(ProducerCheck.of(s, 3, 0).kind()).isEqualTo(Kind.ACCEPT);
        assertThat(ProducerCheck.of(s, 3, 1).kind()).isEqualTo(Kind.EPOCH_SEQ_NOT_ZERO);
    }
}
