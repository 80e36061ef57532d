package io.durablestreams.engine;

import static io.durablestreams.engine.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retention (docs/extensions/retention.md) on the memory store, with the harness's manual clock. */
class RetentionTest {
    private final EngineHarness h = new EngineHarness();

    @AfterEach
    void closeEngine() {
        h.close();
    }

    private Response create(String name, String header, String value) {
        EngineHarness.Call c = h.call("PUT", name).header("content-type", "text/plain");
        if (header != null) {
            c.header(header, value);
        }
        return c.send();
    }

    private String append(String name, String body) {
        Response r = h.call("POST", name).header("content-type", "text/plain").body(body).send();
        assertThat(r.status()).isEqualTo(204);
        return r.headers().get("stream-next-offset");
    }

    private Response snapshot(String name, String body) {
        return h.call("POST", name).header("content-type", "text/plain").header("stream-snapshot", "true").body(body).send();
    }

    private Response read(String name, String offset) {
        return h.call("GET", name).param("offset", offset).send();
    }

    private long sweep() {
        return h.engine.sweepRetention().join();
    }

    private static String earliest(Response r) {
        return r.headers().get("stream-earliest-offset");
    }

    @Test
    void sizeKeepsTheLastBytesFromAnAppendBoundaryAndFreesThemOneRoundLater() {
        assertThat(create("s", "stream-retention-bytes", "10").headers().get("stream-retention-bytes")).isEqualTo("10");
        String start = read("s", "-1").headers().get("stream-next-offset");
        String[] after = new String[5];
        for (int i = 0; i < 5; i++) {
            after[i] = append("s", "abc" + i);
        }
        assertThat(sweep()).isZero(); // the start moves; nothing is freed in the round that moved it
        Response head = h.call("HEAD", "s").send();
        assertThat(earliest(head)).isEqualTo(after[1]); // tail 20 - 10 = 10 → the append boundary at or below: 8
        assertThat(text(read("s", "-1"))).isEqualTo("abc2abc3abc4");
        Response gone = read("s", start);
        assertThat(gone.status()).isEqualTo(410);
        assertThat(text(gone)).contains("\"type\":\"offset-reclaimed\"");
        assertThat(earliest(gone)).isEqualTo(after[1]);
        assertThat(read("s", after[0]).status()).isEqualTo(410);
        assertThat(text(read("s", after[1]))).isEqualTo("abc2abc3abc4");
        assertThat(sweep()).isEqualTo(8);
        assertThat(text(read("s", after[1]))).isEqualTo("abc2abc3abc4");
    }

    @Test
    void ageDropsWholeAppendsOlderThanTheAge() {
        create("a", "stream-retention-age", "60");
        String first = append("a", "old");
        h.advance(30_000);
        String second = append("a", "mid");
        h.advance(40_000); // "old" is 70 s old, "mid" 40 s
        append("a", "new");
        sweep();
        assertThat(earliest(h.call("HEAD", "a").send())).isEqualTo(first);
        assertThat(text(read("a", "-1"))).isEqualTo("midnew");
        h.advance(30_000); // "mid" is 70 s old
        sweep();
        assertThat(earliest(h.call("HEAD", "a").send())).isEqualTo(second);
        assertThat(text(read("a", "-1"))).isEqualTo("new");
        h.advance(3_600_000); // everything is old: the stream is empty, its tail stays
        sweep();
        Response r = read("a", "-1");
        assertThat(text(r)).isEmpty();
        assertThat(r.headers().get("stream-next-offset")).isEqualTo(earliest(h.call("HEAD", "a").send()));
    }

    @Test
    void aSnapshotStartsTheStreamAndAgeOrSizeNeverCutPastIt() {
        create("p", "stream-retention-bytes", "1");
        String begin = read("p", "-1").headers().get("stream-next-offset");
        append("p", "x");
        String beforeSnapshot = append("p", "y");
        Response snap = snapshot("p", "S");
        assertThat(snap.status()).isEqualTo(204);
        assertThat(earliest(snap)).isEqualTo(beforeSnapshot);
        append("p", "z1");
        append("p", "z2");
        sweep();
        sweep();
        assertThat(earliest(h.call("HEAD", "p").send())).isEqualTo(beforeSnapshot);
        assertThat(text(read("p", "-1"))).isEqualTo("Sz1z2");
        assertThat(read("p", begin).status()).isEqualTo(410);
        // a later snapshot moves the start again
        String beforeSecond = append("p", "w");
        snapshot("p", "T");
        assertThat(text(read("p", "-1"))).isEqualTo("T");
        assertThat(earliest(h.call("HEAD", "p").send())).isEqualTo(beforeSecond);
        assertThat(read("p", beforeSnapshot).status()).isEqualTo(410);
    }

    @Test
    void forksBeforeTheRetainedStartAreRefusedAndLiveForksKeepWhatTheyRead() {
        create("src", null, null);
        String first = append("src", "aa");
        String second = append("src", "bb");
        snapshot("src", "SS");
        Response refused = h.call("PUT", "early").header("stream-forked-from", "/v1/stream/src")
                .header("stream-fork-offset", first).send();
        assertThat(refused.status()).isEqualTo(410);
        assertThat(text(refused)).contains("offset-reclaimed");
        // a fork at the snapshot reads the source's bytes from there, also after the source moved on
        assertThat(h.call("PUT", "f").header("stream-forked-from", "/v1/stream/src").send().status()).isEqualTo(201);
        assertThat(text(read("f", "-1"))).isEqualTo("SS");
        snapshot("src", "TT");
        sweep();
        sweep();
        sweep();
        assertThat(text(read("src", "-1"))).isEqualTo("TT");
        assertThat(text(read("f", "-1"))).isEqualTo("SS");
        assertThat(text(read("f", second))).isEqualTo("SS");
        assertThat(read("f", first).status()).isEqualTo(410);
    }

    @Test
    void liveReadsFromAReclaimedOffsetAreGone() {
        create("l", null, null);
        String start = read("l", "-1").headers().get("stream-next-offset");
        append("l", "a");
        snapshot("l", "b");
        Response poll = h.call("GET", "l").param("offset", start).param("live", "long-poll").send();
        assertThat(poll.status()).isEqualTo(410);
        Response sse = h.call("GET", "l").param("offset", start).param("live", "sse").send();
        assertThat(sse.status()).isEqualTo(410);
    }

    @Test
    void policiesAreValidatedAndPartOfTheConfiguration() {
        assertThat(create("v", "stream-retention-age", "0").status()).isEqualTo(400);
        assertThat(text(create("v", "stream-retention-bytes", "-5"))).contains("invalid-retention");
        assertThat(create("v", "stream-retention-bytes", "abc").status()).isEqualTo(400);
        assertThat(create("v", "stream-retention-age", "3600").status()).isEqualTo(201);
        assertThat(create("v", "stream-retention-age", "3600").status()).isEqualTo(200);
        assertThat(create("v", "stream-retention-age", "60").status()).isEqualTo(409);
        assertThat(create("v", null, null).status()).isEqualTo(409);
        assertThat(h.call("HEAD", "v").send().headers().get("stream-retention-age")).isEqualTo("3600");
        assertThat(h.call("POST", "v").header("stream-snapshot", "yes").header("content-type", "text/plain").body("x").send().status())
                .isEqualTo(400);
        assertThat(h.call("POST", "v").header("stream-snapshot", "true").header("stream-closed", "true").send().status())
                .isEqualTo(400);
    }

    @Test
    void serverDefaultsApplyToStreamsThatNameNoPolicy() {
        try (EngineHarness d = new EngineHarness(EngineConfig.defaults().withDefaultRetention(null, 4L))) {
            d.call("PUT", "x").header("content-type", "text/plain").send();
            d.call("POST", "x").header("content-type", "text/plain").body("1234").send();
            d.call("POST", "x").header("content-type", "text/plain").body("5678").send();
            d.engine.sweepRetention().join();
            assertThat(text(d.call("GET", "x").param("offset", "-1").send())).isEqualTo("5678");
            assertThat(d.call("HEAD", "x").send().headers().get("stream-retention-bytes")).isEqualTo("4");
        }
    }
}
