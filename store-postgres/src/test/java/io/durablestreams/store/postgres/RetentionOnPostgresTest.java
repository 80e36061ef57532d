package io.durablestreams.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.http.Response;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention (docs/extensions/retention.md) on PostgreSQL with two nodes: the retained start lives in
 * ds_stream, so a start moved by a sweep on one node is what the other node serves; chunks go in
 * batches one interval after the start passed them, never below what a fork reads.
 */
class RetentionOnPostgresTest {
    private static final long INTERVAL = 60_000;
    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    private Node a;
    private Node b;

    @BeforeEach
    void start() throws InterruptedException {
        String url = TestPostgres.freshDatabase();
        EngineConfig config = EngineConfig.defaults().withRetentionIntervalMillis(INTERVAL);
        a = new Node(url, config, clock::get).awaitListening();
        b = new Node(url, config, clock::get).awaitListening();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private static String post(Node n, String name, String body) {
        Response r = n.call("POST", name).header("content-type", "text/plain").body(body).send();
        assertThat(r.status()).isEqualTo(204);
        return r.headers().get("stream-next-offset");
    }

    private static Response read(Node n, String name, String offset) {
        return n.call("GET", name).param("offset", offset).send();
    }

    private static String earliest(Node n, String name) {
        return n.call("HEAD", name).send().headers().get("stream-earliest-offset");
    }

    private String fill(Node n, String name) {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            String rec = String.format("rec-%04d;\n", i);
            post(n, name, rec);
            all.append(rec);
        }
        return all.toString();
    }

    @Test
    void sizeRetentionMovesTheStartForEveryNodeAndFreesChunksOneIntervalLater() {
        Response created = a.call("PUT", "s").header("content-type", "text/plain").header("stream-retention-bytes", "100").send();
        String first = created.headers().get("stream-next-offset");
        String all = fill(b, "s");
        assertThat(a.engine.sweepRetention().join()).isZero();
        assertThat(earliest(b, "s")).endsWith("_0000000000000200");
        Response gone = read(b, "s", first);
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.headers().get("stream-earliest-offset")).endsWith("_0000000000000200");
        assertThat(Node.text(read(b, "s", "-1"))).isEqualTo(all.substring(200));
        // a fork at the tail, made before the source's chunks go: it keeps what it reads
        assertThat(b.call("PUT", "f").header("stream-forked-from", "/v1/stream/s").send().status()).isEqualTo(201);
        clock.addAndGet(INTERVAL);
        assertThat(b.engine.sweepRetention().join()).isEqualTo(200); // below the start of one interval ago
        assertThat(Node.text(read(a, "s", "-1"))).isEqualTo(all.substring(200));
        assertThat(Node.text(read(a, "f", "-1"))).isEqualTo(all.substring(200));
        // the source moves on; the fork still reads from 200, so nothing below it is freed
        fill(a, "s");
        a.engine.sweepRetention().join();
        clock.addAndGet(INTERVAL);
        assertThat(a.engine.sweepRetention().join()).isZero();
        assertThat(Node.text(read(b, "f", "-1"))).isEqualTo(all.substring(200));
        assertThat(b.call("PUT", "s").header("content-type", "text/plain").header("stream-retention-bytes", "5").send().status())
                .isEqualTo(409);
    }

    @Test
    void aSnapshotOnOneNodeStartsTheStreamOnTheOther() {
        a.call("PUT", "p").header("content-type", "text/plain").header("stream-retention-bytes", "1").send();
        String start = a.call("HEAD", "p").send().headers().get("stream-next-offset");
        post(a, "p", "old");
        Response snap = b.call("POST", "p").header("content-type", "text/plain").header("stream-snapshot", "true").body("S").send();
        assertThat(snap.status()).isEqualTo(204);
        post(b, "p", "+1");
        assertThat(Node.text(read(a, "p", "-1"))).isEqualTo("S+1");
        assertThat(read(a, "p", start).status()).isEqualTo(410);
        // size never cuts past the latest snapshot
        a.engine.sweepRetention().join();
        assertThat(Node.text(read(a, "p", "-1"))).isEqualTo("S+1");
        assertThat(earliest(a, "p")).isEqualTo(snap.headers().get("stream-earliest-offset"));
    }

    @Test
    void ageRetentionFollowsTheEnginesClock() {
        a.call("PUT", "g").header("content-type", "text/plain").header("stream-retention-age", "60").send();
        post(a, "g", "old;");
        clock.addAndGet(61_000);
        post(b, "g", "young;");
        b.engine.sweepRetention().join();
        assertThat(Node.text(read(a, "g", "-1"))).isEqualTo("young;");
    }
}
