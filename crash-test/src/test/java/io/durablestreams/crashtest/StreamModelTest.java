package io.durablestreams.crashtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The record-by-record comparison the cluster crash test counts lost and duplicated appends with. */
class StreamModelTest {
    private final StreamModel s = new StreamModel(7, StreamModel.Kind.PRODUCER);

    private byte[] records(int... indexes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i : indexes) {
            out.writeBytes(StreamModel.record(s.id, i));
        }
        return out.toByteArray();
    }

    @Test
    void theExpectedContentIsExact() {
        assertThat(s.tally(s.expected(5), 5)).isEqualTo(new StreamModel.Tally(0, 0, 0, true));
        assertThat(s.tally(new byte[0], 0).exact()).isTrue();
    }

    @Test
    void missingRecordsAreLost() {
        assertThat(s.tally(records(0, 2), 4)).isEqualTo(new StreamModel.Tally(2, 0, 0, false));
    }

    @Test
    void extraCopiesAreDuplicates() {
        assertThat(s.tally(records(0, 1, 1, 2, 1), 3)).isEqualTo(new StreamModel.Tally(0, 2, 0, false));
    }

    @Test
    void unacknowledgedForeignOrGarbledRecordsAreUnexpected() {
        byte[] other = StreamModel.record(8, 1);
        byte[] garbled = "<7#1:x>\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(records(0, 1, 2));
        content.writeBytes(other);
        content.writeBytes(garbled);
        assertThat(s.tally(content.toByteArray(), 2)).isEqualTo(new StreamModel.Tally(0, 0, 3, false));
    }

    @Test
    void reorderedRecordsAreNotInOrder() {
        StreamModel.Tally t = s.tally(records(1, 0), 2);
        assertThat(t).isEqualTo(new StreamModel.Tally(0, 0, 0, false));
        assertThat(t.exact()).isFalse();
    }
}
