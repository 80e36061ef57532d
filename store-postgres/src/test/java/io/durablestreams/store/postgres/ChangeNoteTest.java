package io.durablestreams.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.store.ProducerTuple;
import io.durablestreams.engine.store.StreamDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeNoteTest {
    private static StreamRow row(String name, long tail, boolean closed, ProducerTuple by, String seq) {
        StreamDescriptor d = new StreamDescriptor(name, 42, "application/json", null, null, null, null, 0, null, 0, 0, null, 0,
                false, null, null, 0, -1);
        return new StreamRow(d, false, 0, false, null, null, 0, 0, 0, -1).withWrite(tail, closed, by, seq);
    }

    @Test
    void aWriteCarriesTheCommittedStateAndItsChunks() {
        ProducerTuple by = new ProducerTuple("producer with spaces: é", 3, 9);
        byte[] a = "[{\"x\":1}]".getBytes(StandardCharsets.UTF_8);
        byte[] b = {0, (byte) 0xff, ' ', ':', '\n'};
        String payload = ChangeNote.write("node1", row("chat room/é:1 2", 14, true, by, "seq 7:x"),
                List.of(new ChunkRow(0, 9, new int[] {9}, a), new ChunkRow(9, 14, null, b)));

        ChangeNote note = ChangeNote.parse(payload);

        assertThat(note.nodeId()).isEqualTo("node1");
        assertThat(note.name()).isEqualTo("chat room/é:1 2");
        assertThat(note.state()).isEqualTo(new ChangeNote.State(42, 14, true, by, "seq 7:x"));
        assertThat(note.chunks()).hasSize(2);
        assertThat(note.chunks().get(0).messageEnds()).containsExactly(9);
        assertThat(note.chunks().get(0).data()).isEqualTo(a);
        assertThat(note.chunks().get(1).start()).isEqualTo(9);
        assertThat(note.chunks().get(1).messageEnds()).isNull();
        assertThat(note.chunks().get(1).data()).isEqualTo(b);
    }

    @Test
    void chunksThatDoNotFitStayOutAndThePayloadStaysUnderTheLimit() {
        ChunkRow small = new ChunkRow(0, 100, null, new byte[100]);
        ChunkRow big = new ChunkRow(100, 6100, null, new byte[6000]);
        ChunkRow after = new ChunkRow(6100, 6110, null, new byte[10]);
        String payload = ChangeNote.write("n", row("s", 6110, false, null, null), List.of(small, big, after));

        assertThat(payload.length()).isLessThanOrEqualTo(ChangeNote.MAX_PAYLOAD);
        ChangeNote note = ChangeNote.parse(payload);
        assertThat(note.state().tail()).isEqualTo(6110);
        assertThat(note.state().closedBy()).isNull();
        assertThat(note.state().lastStreamSeq()).isNull();
        assertThat(note.chunks()).extracting(ChunkRow::start).containsExactly(0L);

        String nearLimit = ChangeNote.write("n", row("s", 5900, false, null, null), List.of(new ChunkRow(0, 5900, null, new byte[5900])));
        assertThat(nearLimit.length()).isLessThanOrEqualTo(ChangeNote.MAX_PAYLOAD);
    }

    @Test
    void aNameOnlyNoteAndGarbage() {
        ChangeNote note = ChangeNote.parse(ChangeNote.nameOnly("n", "a b"));
        assertThat(note.name()).isEqualTo("a b");
        assertThat(note.state()).isNull();
        assertThat(note.chunks()).isEmpty();
        assertThat(ChangeNote.parse("n")).isNull();
        assertThat(ChangeNote.parse("n a b c d e f g h")).isNull();
        assertThat(ChangeNote.parse("")).isNull();
    }
}
