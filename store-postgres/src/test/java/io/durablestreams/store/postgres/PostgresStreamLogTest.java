package io.durablestreams.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.store.StreamDescriptor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chunk cache's answers: message boundaries, bounded runs and misses, without a database. */
class PostgresStreamLogTest {
    private static final StreamDescriptor JSON = new StreamDescriptor("s", 1, "application/json", null, null, null, null, 0,
            null, 0, 0, null, 0, false, null, null, 0, -1);

    /** Chunks [0,10) with messages ending at 4 and 10, [10,16) one message, [16,30) messages at 20, 25, 30. */
    private static PostgresStreamLog log() {
        PostgresStreamLog log = PostgresStreamLog.existing(null, JSON, 30, 1 << 20);
        log.cache(new ChunkRow(0, 10, new int[] {4, 10}, bytes("aaaabbbbbb")));
        log.cache(new ChunkRow(10, 16, null, bytes("cccccc")));
        log.cache(new ChunkRow(16, 30, new int[] {4, 9, 14}, bytes("ddddeeeeefffff")));
        return log;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void readsAcrossChunks() {
        List<ByteBuffer> parts = log().read(2, 19);
        StringBuilder sb = new StringBuilder();
        parts.forEach(b -> sb.append(StandardCharsets.US_ASCII.decode(b.duplicate())));
        assertThat(sb).hasToString("aabbbbbbccccccddd");
    }

    @Test
    void boundariesAreMessageEndsAndTheEdges() {
        PostgresStreamLog log = log();
        assertThat(log.isMessageBoundary(0)).isTrue();
        assertThat(log.isMessageBoundary(4)).isTrue();
        assertThat(log.isMessageBoundary(5)).isFalse();
        assertThat(log.isMessageBoundary(10)).isTrue();
        assertThat(log.isMessageBoundary(16)).isTrue();
        assertThat(log.isMessageBoundary(25)).isTrue();
        assertThat(log.isMessageBoundary(30)).isTrue();
        assertThat(log.boundariesToBatchEnd(16)).containsExactly(20, 25, 30);
        assertThat(log.boundariesToBatchEnd(20)).containsExactly(25, 30);
        assertThat(log.boundariesToBatchEnd(4)).containsExactly(10);
        assertThat(log.boundariesToBatchEnd(30)).isEmpty();
    }

    @Test
    void boundedRunsEndOnWholeMessages() {
        PostgresStreamLog log = log();
        assertThat(log.boundedEnd(0, 30, 12, false)).isEqualTo(10);
        assertThat(log.boundedEnd(0, 30, 100, false)).isEqualTo(30);
        assertThat(log.boundedEnd(4, 30, 2, false)).isEqualTo(10); // one message longer than the budget
        assertThat(log.boundedEnd(10, 30, 12, false)).isEqualTo(20);
        assertThat(log.boundedEnd(0, 30, 12, true)).isEqualTo(12);
        assertThat(log.boundedEnd(0, 16, 100, false)).isEqualTo(16);
    }

    @Test
    void evictsTheLowestChunksBeyondItsBudget() {
        PostgresStreamLog log = PostgresStreamLog.existing(null, JSON, 30, 20);
        log.cache(new ChunkRow(0, 10, null, bytes("aaaaaaaaaa")));
        log.cache(new ChunkRow(10, 20, null, bytes("bbbbbbbbbb")));
        log.cache(new ChunkRow(20, 30, null, bytes("cccccccccc")));
        assertThat(log.covered(10, 30)).isTrue();
        assertThat(log.covered(0, 10)).isFalse();
    }

    @Test
    void aReadFarBelowTheCachedRangeKeepsWhatItLoaded() {
        PostgresStreamLog log = PostgresStreamLog.existing(null, JSON, 60, 20);
        log.cache(new ChunkRow(40, 50, null, bytes("eeeeeeeeee")));
        log.cache(new ChunkRow(50, 60, null, bytes("ffffffffff")));
        log.cache(new ChunkRow(0, 10, null, bytes("aaaaaaaaaa"))); // a catch-up read from the start
        assertThat(log.covered(0, 10)).isTrue();
        log.cache(new ChunkRow(10, 20, null, bytes("bbbbbbbbbb")));
        assertThat(log.covered(0, 20)).isTrue();
        assertThat(log.covered(50, 60)).isFalse();
    }
}
