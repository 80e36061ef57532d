package io.durablestreams.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retention on the file store (docs/extensions/retention.md): the retained start is durable before
 * segments go, whole segments are freed, and neither a clean restart nor a crash (at each step of
 * the reclamation) brings back what was given up or loses what is still retained.
 */
class RetentionOnFileStoreTest {
    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    private FileStorage storage;
    private StreamEngine engine;

    private void open() {
        storage = new FileStorage(StoreFixture.config(dir));
        engine = new StreamEngine(EngineConfig.defaults().withRetentionIntervalMillis(3_600_000), storage, clock::get,
                new SplittableRandom(1));
    }

    private void restart(boolean clean) {
        if (!clean) {
            storage.abandon(); // as kill -9: the page cache survives, the process state does not
        }
        engine.close();
        open();
    }

    private Response call(String method, String stream, String offset, String body, String... headers) {
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        Map<String, List<String>> query = offset == null ? Map.of() : Map.of("offset", List.of(offset));
        return engine.handle(new Request(method, stream, query, h::get, body.getBytes(StandardCharsets.UTF_8),
                "http://test/v1/stream/", null)).join();
    }

    private static String text(Response r) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuffer b : r.body()) {
            sb.append(StandardCharsets.UTF_8.decode(b.duplicate()));
        }
        return sb.toString();
    }

    private String readAll(String stream) {
        StringBuilder out = new StringBuilder();
        String offset = "-1";
        for (;;) {
            Response r = call("GET", stream, offset, "");
            assertThat(r.status()).isEqualTo(200);
            out.append(text(r));
            if ("true".equals(r.headers().get("stream-up-to-date"))) {
                return out.toString();
            }
            offset = r.headers().get("stream-next-offset");
        }
    }

    private String earliest(String stream) {
        return call("HEAD", stream, null, "").headers().get("stream-earliest-offset");
    }

    /** The segment bases on disk of the only stream. */
    private TreeSet<Long> segments() throws IOException {
        try (Stream<Path> shards = Files.list(dir.resolve("streams"))) {
            Path shard = shards.findFirst().orElseThrow();
            try (Stream<Path> streams = Files.list(shard)) {
                return StreamRecovery.segmentBases(streams.filter(Files::isDirectory).findFirst().orElseThrow());
            }
        }
    }

    /** 30 appends of 10 bytes: with 64-byte segments, 7 appends (70 bytes) per segment. */
    private String fill(String stream) {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            String rec = String.format("rec-%04d;\n", i);
            assertThat(call("POST", stream, null, rec, "content-type", "text/plain").status()).isEqualTo(204);
            all.append(rec);
        }
        return all.toString();
    }

    private static String offset(long position) {
        return String.format("%016d_%016d", 1, position);
    }

    @ParameterizedTest(name = "clean restart: {0}")
    @ValueSource(booleans = {true, false})
    void sizeRetentionFreesWholeSegmentsAndSurvivesRestarts(boolean clean) throws IOException {
        open();
        call("PUT", "s", null, "", "content-type", "text/plain", "stream-retention-bytes", "100");
        String all = fill("s");
        assertThat(segments()).containsExactly(0L, 70L, 140L, 210L, 280L);
        assertThat(engine.sweepRetention().join()).isZero();
        assertThat(earliest("s")).isEqualTo(offset(200));
        assertThat(call("GET", "s", offset(0), "").status()).isEqualTo(410);
        // the next round frees the segments wholly below 200; the one holding 200 stays
        assertThat(engine.sweepRetention().join()).isEqualTo(140);
        assertThat(segments()).containsExactly(140L, 210L, 280L);
        assertThat(readAll("s")).isEqualTo(all.substring(200));
        assertThat(engine.storedBytes()).isEqualTo(300 - 140);

        restart(clean);
        assertThat(earliest("s")).isEqualTo(offset(200));
        assertThat(readAll("s")).isEqualTo(all.substring(200));
        assertThat(call("GET", "s", offset(70), "").status()).isEqualTo(410);
        assertThat(segments()).containsExactly(140L, 210L, 280L);
        // appends and retention go on after the restart
        assertThat(call("POST", "s", null, "tail-rec;\n", "content-type", "text/plain").status()).isEqualTo(204);
        engine.sweepRetention().join();
        engine.sweepRetention().join();
        assertThat(earliest("s")).isEqualTo(offset(210));
        engine.close();
    }

    @Test
    void aCrashAfterTheStartMovedButBeforeAnythingWasFreedKeepsTheStartAndTheData() throws IOException {
        open();
        call("PUT", "s", null, "", "content-type", "text/plain", "stream-retention-bytes", "100");
        String all = fill("s");
        engine.sweepRetention().join(); // the TYPE 3 record is journaled and acknowledged; no checkpoint ran
        restart(false);
        assertThat(earliest("s")).isEqualTo(offset(200));
        assertThat(readAll("s")).isEqualTo(all.substring(200));
        assertThat(segments()).contains(0L); // nothing was freed yet; the first round after the start frees it
        assertThat(engine.sweepRetention().join()).isEqualTo(140);
        assertThat(segments()).containsExactly(140L, 210L, 280L);
        engine.close();
    }

    @Test
    void aCrashAfterSegmentsWereFreedNeitherResurrectsThemNorLosesWriterState() throws IOException {
        open();
        call("PUT", "s", null, "", "content-type", "text/plain", "stream-retention-bytes", "100");
        String all = fill("s");
        assertThat(call("POST", "s", null, "p0;\n", "content-type", "text/plain", "producer-id", "p", "producer-epoch", "0",
                "producer-seq", "0").status()).isEqualTo(200);
        all += "p0;\n";
        engine.sweepRetention().join();
        engine.sweepRetention().join();
        // the journal still holds the records of the freed segments: the replay must skip them
        restart(false);
        assertThat(segments().first()).isGreaterThanOrEqualTo(140L);
        assertThat(readAll("s")).isEqualTo(all.substring(Long.valueOf(earliestPosition("s")).intValue()));
        // the producer's state came back from the checkpoint the reclamation wrote: its retry is a duplicate
        assertThat(call("POST", "s", null, "p0;\n", "content-type", "text/plain", "producer-id", "p", "producer-epoch", "0",
                "producer-seq", "0").status()).isEqualTo(204);
        engine.close();
    }

    @Test
    void aSegmentHalfDeletedByACrashIsNeitherServedNorKept() throws IOException {
        open();
        call("PUT", "s", null, "", "content-type", "text/plain", "stream-retention-bytes", "100");
        String all = fill("s");
        engine.sweepRetention().join();
        Path streamDir = streamDir();
        byte[] log70 = Files.readAllBytes(StoreFiles.logFile(streamDir, 70));
        engine.sweepRetention().join();
        storage.abandon();
        engine.close();
        // a crash between deleting the .data and the .log of a freed segment
        Files.write(StoreFiles.logFile(streamDir, 70), log70);
        open();
        assertThat(call("GET", "s", offset(70), "").status()).isEqualTo(410);
        assertThat(readAll("s")).isEqualTo(all.substring(200));
        engine.sweepRetention().join(); // frees it again
        assertThat(segments()).containsExactly(140L, 210L, 280L);
        engine.close();
    }

    private Path streamDir() throws IOException {
        try (Stream<Path> shards = Files.list(dir.resolve("streams"))) {
            try (Stream<Path> streams = Files.list(shards.findFirst().orElseThrow())) {
                return streams.filter(Files::isDirectory).findFirst().orElseThrow();
            }
        }
    }

    @Test
    void snapshotsAndAgeOnTheFileStore() throws IOException {
        open();
        call("PUT", "a", null, "", "content-type", "text/plain", "stream-retention-age", "60");
        String all = fill("a");
        clock.addAndGet(61_000);
        call("POST", "a", null, "young;\n", "content-type", "text/plain");
        engine.sweepRetention().join();
        assertThat(readAll("a")).isEqualTo("young;\n");
        engine.sweepRetention().join();
        assertThat(segments()).doesNotContain(0L, 70L, 140L, 210L);
        restart(false);
        assertThat(readAll("a")).isEqualTo("young;\n");
        // a snapshot: the start moves when the append is acknowledged, also after a crash
        call("POST", "a", null, "SNAP;\n", "content-type", "text/plain", "stream-snapshot", "true");
        call("POST", "a", null, "after;\n", "content-type", "text/plain");
        restart(false);
        assertThat(readAll("a")).isEqualTo("SNAP;\nafter;\n");
        assertThat(all).isNotEmpty();
        engine.close();
    }

    private long earliestPosition(String stream) {
        String e = earliest(stream);
        return Long.parseLong(e.substring(e.indexOf('_') + 1));
    }
}
