package io.durablestreams.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's file life cycle: rotation, retirement into the spare, reuse, and what replay then reads. */
class JournalTest {
    @TempDir
    Path dir;

    @Test
    void aRecycledFileReplaysOnlyItsNewRecords() throws IOException {
        Journal journal = new Journal(dir, ChannelOpener.DEFAULT, 4096, 1, () -> { }, new StorageFailures());
        for (int i = 0; i < 10; i++) {
            append(journal, 7, i);
        }
        journal.sync();
        long second = journal.rotate();
        journal.deleteBefore(second);
        assertThat(dir.resolve(Journal.SPARE)).as("the retired file is kept for reuse").exists();
        assertThat(Journal.list(dir)).hasSize(1);

        append(journal, 7, 10);
        long third = journal.rotate(); // takes the spare: same blocks, new salt, old records still in it
        assertThat(dir.resolve(Journal.SPARE)).doesNotExist();
        append(journal, 7, 11);
        journal.sync();
        journal.close(false);

        List<Long> replayed = new ArrayList<>();
        Journal.replay(Journal.list(dir), ChannelOpener.DEFAULT, (incarnation, segmentBase, logOffset, r, payload) ->
                replayed.add(r.position()));
        assertThat(replayed).as("record 11 in the recycled file, not the ten old ones after it").containsExactly(10L, 11L);
        assertThat(Journal.list(dir)).extracting(Journal::sequenceOf).containsExactly(second, third);
    }

    private static void append(Journal journal, long incarnation, int i) throws IOException {
        byte[] payload = ("record " + i).getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer frame = RecordFormat.encode(RecordFormat.TYPE_APPEND, i, payload.length, (int) crc.getValue(),
                new int[] {payload.length}, null, null, false);
        journal.append(incarnation, 0, 100L * i, frame, payload);
    }
}
