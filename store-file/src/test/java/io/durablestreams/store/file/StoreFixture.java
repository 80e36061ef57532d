package io.durablestreams.store.file;

import io.durablestreams.engine.store.AppendEntry;
import io.durablestreams.engine.store.ProducerTuple;
import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.StreamLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Helpers shared by the file store tests. */
final class StoreFixture {
    /** Segment size of the tests' stores, small so that appends roll segments: {@value} bytes. */
    static final long SMALL_SEGMENT_BYTES = 64;
    /** Checkpoint period long enough never to fire during a test: {@value} ms. */
    static final long NO_CHECKPOINT_MS = 3_600_000;

    private StoreFixture() {}

    static FileStoreConfig config(Path dir) {
        return FileStoreConfig.defaults(dir).withSegmentBytes(SMALL_SEGMENT_BYTES).withCheckpointIntervalMs(NO_CHECKPOINT_MS);
    }

    static StreamDescriptor descriptor(FileStorage store, String name) {
        return new StreamDescriptor(name, store.nextIncarnation().join(), "text/plain", null, null, null, null, 1_000L,
                null, 0, 0, null, 0, false, null, null, 0, -1);
    }

    static AppendEntry text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new AppendEntry(b, new int[] {b.length}, null, null, false, false, 0);
    }

    static AppendEntry produced(String s, String producerId, long epoch, long seq) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new AppendEntry(b, new int[] {b.length}, new ProducerTuple(producerId, epoch, seq), null, false, false, 0);
    }

    static String readAll(StreamLog log) {
        StringBuilder out = new StringBuilder();
        for (ByteBuffer b : log.read(log.base(), log.tail())) {
            out.append(StandardCharsets.UTF_8.decode(b.duplicate()));
        }
        return out.toString();
    }

    static RecoveredStream only(List<RecoveredStream> streams, String name) {
        return streams.stream().filter(r -> r.descriptor().name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("stream " + name + " not recovered"));
    }
}
