package io.durablestreams.engine;

import static io.durablestreams.engine.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.http.Response;
import io.durablestreams.protocol.Offset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class StreamEngineTest {
    private final EngineHarness h = new EngineHarness();

    @AfterEach
    void closeEngine() {
        h.close();
    }

    private Response create(String name, String contentType, String body) {
        EngineHarness.Call c = h.call("PUT", name).header("content-type", contentType);
        if (body != null) {
            c.body(body);
        }
        return c.send();
    }

    private Response append(String name, String contentType, String body) {
        return h.call("POST", name).header("content-type", contentType).body(body).send();
    }

    private Response read(String name, String offset) {
        return h.call("GET", name).param("offset", offset).send();
    }

    private static String next(Response r) {
        return r.headers().get("stream-next-offset");
    }

    @Nested
    class CreateAndAppend {
        @Test
        void createIsIdempotentForTheSameConfigurationOnly() {
            assertThat(create("s", "text/plain", null).status()).isEqualTo(201);
            assertThat(create("s", "TEXT/PLAIN; charset=utf-8", null).status()).isEqualTo(200);
            assertThat(create("s", "application/json", null).status()).isEqualTo(409);
            assertThat(h.call("PUT", "s").header("content-type", "text/plain").header("stream-ttl", "60").send().status())
                    .isEqualTo(409);
        }

        @Test
        void locationIsAbsoluteAndPercentEncoded() {
            Response r = create("a b/ü", "text/plain", null);
            assertThat(r.headers().get("location")).isEqualTo("http://test.local/v1/stream/a%20b/%C3%BC");
        }

        @Test
        void appendsAdvanceTheTailAndReadsReturnEverythingFromAnOffset() {
            create("s", "text/plain", "hello ");
            String afterFirst = next(read("s", "-1"));
            Response a = append("s", "text/plain", "world");
            assertThat(a.status()).isEqualTo(204);
            assertThat(next(a)).isGreaterThan(afterFirst);
            assertThat(text(read("s", "-1"))).isEqualTo("hello world");
            Response tail = read("s", afterFirst);
            assertThat(text(tail)).isEqualTo("world");
            assertThat(tail.headers()).containsEntry("stream-up-to-date", "true");
        }

        @Test
        void streamSeqIsComparedBytewise() {
            create("s", "text/plain", null);
            assertThat(h.call("POST", "s").header("content-type", "text/plain").header("stream-seq", "2").body("x").send().status()).isEqualTo(204);
            Response r = h.call("POST", "s").header("content-type", "text/plain").header("stream-seq", "10").body("x").send();
            assertThat(r.status()).isEqualTo(409);
            assertThat(text(r)).contains("sequence-conflict");
        }

        @Test
        void closedStreamIsReportedBeforeContentTypeMismatch() {
            create("s", "text/plain", null);
            h.call("POST", "s").header("stream-closed", "true").send();
            Response r = append("s", "application/json", "{}");
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.headers()).containsEntry("stream-closed", "true").containsKey("stream-next-offset");
        }

        @Test
        void closeOnlyIsIdempotentAndAppendAndCloseIsAtomic() {
            create("s", "text/plain", null);
            Response c = h.call("POST", "s").header("content-type", "text/plain").header("stream-closed", "true").body("end").send();
            assertThat(c.status()).isEqualTo(204);
            assertThat(c.headers()).containsEntry("stream-closed", "true");
            assertThat(h.call("POST", "s").header("stream-closed", "TRUE").send().status()).isEqualTo(204);
            Response eof = read("s", "-1");
            assertThat(text(eof)).isEqualTo("end");
            assertThat(eof.headers()).containsEntry("stream-closed", "true");
        }

        @Test
        void idempotentProducerDeduplicatesAndFences() {
            create("s", "text/plain", null);
            EngineHarness.Call first = h.call("POST", "s").header("content-type", "text/plain")
                    .header("producer-id", "p").header("producer-epoch", "0").header("producer-seq", "0").body("a");
            assertThat(first.send().status()).isEqualTo(200);
            Response dup = first.send();
            assertThat(dup.status()).isEqualTo(204);
            assertThat(dup.headers()).containsEntry("producer-seq", "0");
            Response gap = h.call("POST", "s").header("content-type", "text/plain")
                    .header("producer-id", "p").header("producer-epoch", "0").header("producer-seq", "5").body("b").send();
            assertThat(gap.status()).isEqualTo(409);
            assertThat(gap.headers()).containsEntry("producer-expected-seq", "1").containsEntry("producer-received-seq", "5");
            assertThat(h.call("POST", "s").header("content-type", "text/plain")
                    .header("producer-id", "p").header("producer-epoch", "1").header("producer-seq", "0").body("c").send().status()).isEqualTo(200);
            Response stale = h.call("POST", "s").header("content-type", "text/plain")
                    .header("producer-id", "p").header("producer-epoch", "0").header("producer-seq", "1").body("d").send();
            assertThat(stale.status()).isEqualTo(403);
            assertThat(stale.headers()).containsEntry("producer-epoch", "1");
            assertThat(text(read("s", "-1"))).isEqualTo("ac");
        }
    }

    @Nested
    class Json {
        @Test
        void readsWrapMessagesInOneArray() {
            create("j", "application/json", "[]");
            append("j", "application/json", "{\"a\": 1}");
            append("j", "application/json", "[2, [3]]");
            Response r = read("j", "-1");
            assertThat(text(r)).isEqualTo("[{\"a\":1},2,[3]]");
            assertThat(text(read("j", next(r)))).isEqualTo("[]");
        }

        @Test
        void emptyArraysAndInvalidJsonAreRejectedOnAppend() {
            create("j", "application/json", null);
            assertThat(append("j", "application/json", "[]").status()).isEqualTo(400);
            assertThat(append("j", "application/json", "{oops").status()).isEqualTo(400);
        }

        @Test
        void chunkedReadsEndOnMessageBoundaries() {
            try (EngineHarness small = new EngineHarness(EngineConfig.defaults().withReadChunkBytes(20))) {
                small.call("PUT", "j").header("content-type", "application/json").send();
                for (int i = 0; i < 10; i++) {
                    small.call("POST", "j").header("content-type", "application/json").body("[\"message-" + i + "\"]").send();
                }
                StringBuilder all = new StringBuilder();
                String offset = "-1";
                int responses = 0;
                for (;;) {
                    Response r = small.call("GET", "j").param("offset", offset).send();
                    String body = text(r);
                    assertThat(body).startsWith("[").endsWith("]");
                    if (body.length() > 2) {
                        all.append(all.length() == 0 ? "" : ",").append(body, 1, body.length() - 1);
                    }
                    responses++;
                    offset = r.headers().get("stream-next-offset");
                    if (r.headers().containsKey("stream-up-to-date")) {
                        break;
                    }
                }
                assertThat(responses).isGreaterThan(3);
                assertThat(all.toString()).isEqualTo(String.join(",", List.of(
                        "\"message-0\"", "\"message-1\"", "\"message-2\"", "\"message-3\"", "\"message-4\"",
                        "\"message-5\"", "\"message-6\"", "\"message-7\"", "\"message-8\"", "\"message-9\"")));
            }
        }
    }

    @Nested
    class LongPoll {
        @Test
        void waitsForTheNextAppendAndAnswersWithIt() {
            create("s", "text/plain", "a");
            String tail = next(read("s", "-1"));
            CompletableFuture<Response> poll = h.call("GET", "s").param("offset", tail).param("live", "long-poll").future();
            assertThat(poll).isNotDone();
            append("s", "text/plain", "b");
            Response r = poll.join();
            assertThat(r.status()).isEqualTo(200);
            assertThat(text(r)).isEqualTo("b");
            assertThat(r.headers()).containsKey("stream-cursor");
        }

        @Test
        void timesOutWith204AndTheRequiredHeaders() {
            create("s", "text/plain", null);
            CompletableFuture<Response> poll = h.call("GET", "s").param("offset", "now").param("live", "long-poll").future();
            h.advance(999);
            assertThat(poll).isNotDone();
            h.advance(1);
            Response r = poll.join();
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.headers()).containsKeys("stream-next-offset", "stream-cursor").containsEntry("stream-up-to-date", "true");
        }

        @Test
        void oneAppendWakesEveryWaiter() {
            create("s", "text/plain", null);
            List<CompletableFuture<Response>> polls = new java.util.ArrayList<>();
            for (int i = 0; i < 500; i++) {
                polls.add(h.call("GET", "s").param("offset", "now").param("live", "long-poll").future());
            }
            append("s", "text/plain", "x");
            assertThat(polls).allSatisfy(p -> assertThat(text(p.getNow(null))).isEqualTo("x"));
        }

        @Test
        void returnsAtOnceAtTheTailOfAClosedStream() {
            create("s", "text/plain", null);
            h.call("POST", "s").header("stream-closed", "true").send();
            Response r = h.call("GET", "s").param("offset", "now").param("live", "long-poll").send();
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.headers()).containsEntry("stream-closed", "true").doesNotContainKey("stream-cursor");
        }
    }

    @Nested
    class Sse {
        private RecordingSseSink open(String name, String offset) {
            Response r = h.call("GET", name).param("offset", offset).param("live", "sse").send();
            assertThat(r.headers()).containsEntry("content-type", "text/event-stream");
            RecordingSseSink sink = new RecordingSseSink();
            r.sse().start(sink);
            return sink;
        }

        @Test
        void everyDataEventIsFollowedByAControlEvent() {
            create("s", "text/plain", "one");
            RecordingSseSink sink = open("s", "-1");
            append("s", "text/plain", "two");
            List<String[]> events = sink.events();
            assertThat(events).extracting(e -> e[0]).containsExactly("data", "control", "data", "control");
            assertThat(events.get(0)[1]).isEqualTo("one");
            assertThat(events.get(2)[1]).isEqualTo("two");
            assertThat(events.get(3)[1]).contains("\"upToDate\":true").contains("streamCursor");
        }

        @Test
        void lineBreaksCannotForgeEvents() {
            create("s", "text/plain", "a\r\n\r\nevent: control\rdata: {}\n\n b");
            List<String[]> events = open("s", "-1").events();
            assertThat(events).extracting(e -> e[0]).containsExactly("data", "control");
            assertThat(events.get(0)[1]).isEqualTo("a\n\nevent: control\ndata: {}\n\n b");
        }

        @Test
        void binaryStreamsAreBase64PerEvent() {
            create("b", "application/octet-stream", null);
            h.call("POST", "b").header("content-type", "application/octet-stream").body(new byte[] {0, 1, 2, (byte) 255}).send();
            Response r = h.call("GET", "b").param("offset", "-1").param("live", "sse").send();
            assertThat(r.headers()).containsEntry("stream-sse-data-encoding", "base64");
            RecordingSseSink sink = new RecordingSseSink();
            r.sse().start(sink);
            assertThat(sink.events().get(0)[1]).isEqualTo("AAEC/w==");
        }

        @Test
        void finalDataIsDeliveredBeforeStreamClosedAndTheResponseEnds() {
            create("s", "text/plain", null);
            RecordingSseSink sink = open("s", "now");
            h.call("POST", "s").header("content-type", "text/plain").header("stream-closed", "true").body("bye").send();
            List<String[]> events = sink.events();
            assertThat(events.get(events.size() - 2)[1]).isEqualTo("bye");
            assertThat(events.get(events.size() - 1)[1]).contains("\"streamClosed\":true");
            assertThat(sink.open).isFalse();
        }

        @Test
        void stopsWritingWhileTheConnectionIsNotWritable() {
            create("s", "text/plain", null);
            RecordingSseSink sink = open("s", "now");
            int before = sink.written.length();
            sink.writable = false;
            append("s", "text/plain", "queued");
            assertThat(sink.written.length()).isEqualTo(before);
            sink.becomeWritable();
            assertThat(sink.written.toString()).contains("data:queued");
        }

        @Test
        void endsAfterTheReconnectInterval() {
            create("s", "text/plain", null);
            RecordingSseSink sink = open("s", "now");
            h.advance(EngineConfig.DEFAULT_SSE_RECONNECT_MILLIS);
            assertThat(sink.open).isFalse();
        }
    }

    @Nested
    class Forks {
        @Test
        void forksInheritWithoutCopyingAndDivergeAfterwards() {
            create("src", "text/plain", "hello");
            String tail = next(read("src", "-1"));
            Response f = h.call("PUT", "fork").header("stream-forked-from", "/v1/stream/src").send();
            assertThat(f.status()).isEqualTo(201);
            assertThat(next(f)).isEqualTo(tail);
            append("src", "text/plain", " source");
            append("fork", "text/plain", " fork");
            assertThat(text(read("fork", "-1"))).isEqualTo("hello fork");
            assertThat(text(read("src", "-1"))).isEqualTo("hello source");
        }

        @Test
        void subOffsetsCountBytesOrMessagesInsideTheNextAppend() {
            create("bin", "text/plain", "abcdef");
            String zero = new Offset(0, 0).toString();
            h.call("PUT", "f1").header("stream-forked-from", "bin").header("stream-fork-offset", zero)
                    .header("stream-fork-sub-offset", "4").send();
            assertThat(text(read("f1", "-1"))).isEqualTo("abcd");
            assertThat(h.call("PUT", "f2").header("stream-forked-from", "bin").header("stream-fork-offset", zero)
                    .header("stream-fork-sub-offset", "7").send().status()).isEqualTo(400);
            create("json", "application/json", "[1,2,3,4]");
            h.call("PUT", "f3").header("stream-forked-from", "json").header("stream-fork-offset", zero)
                    .header("stream-fork-sub-offset", "2").send();
            assertThat(text(read("f3", "-1"))).isEqualTo("[1,2]");
        }

        @Test
        void aDeletedSourceIsKeptForItsForksThenCleanedUp() {
            create("src", "text/plain", "data");
            h.call("PUT", "fork").header("stream-forked-from", "src").send();
            assertThat(h.call("DELETE", "src").send().status()).isEqualTo(204);
            assertThat(read("src", "-1").status()).isEqualTo(410);
            assertThat(create("src", "text/plain", null).status()).isEqualTo(409);
            assertThat(text(read("fork", "-1"))).isEqualTo("data");
            assertThat(h.call("DELETE", "fork").send().status()).isEqualTo(204);
            assertThat(h.engine.streamCount()).isZero();
            assertThat(create("src", "text/plain", null).status()).isEqualTo(201);
        }

        @Test
        void longPollOnAForkWakesOnlyOnTheForksOwnAppends() {
            create("src", "text/plain", "x");
            Response f = h.call("PUT", "fork").header("stream-forked-from", "src").send();
            CompletableFuture<Response> poll = h.call("GET", "fork").param("offset", next(f)).param("live", "long-poll").future();
            append("src", "text/plain", "source-only");
            assertThat(poll).isNotDone();
            append("fork", "text/plain", "mine");
            assertThat(text(poll.join())).isEqualTo("mine");
        }
    }

    @Nested
    class Expiry {
        @Test
        void slidingTtlIsRenewedByReadsButNotByHead() {
            h.call("PUT", "t").header("content-type", "text/plain").header("stream-ttl", "10").send();
            h.advance(9_000);
            read("t", "now");
            h.advance(9_000);
            assertThat(h.call("HEAD", "t").send().status()).isEqualTo(200);
            h.advance(1_500);
            assertThat(h.call("HEAD", "t").send().status()).isEqualTo(404);
            assertThat(create("t", "text/plain", null).status()).isEqualTo(201);
        }

        @Test
        void theSweeperReclaimsExpiredStreamsNobodyTouches() {
            h.call("PUT", "idle").header("content-type", "text/plain").header("stream-ttl", "1").body("x").send();
            create("keep", "text/plain", null);
            assertThat(h.engine.sweepExpired()).isZero();
            h.advance(1_000);
            assertThat(h.engine.sweepExpired()).isEqualTo(1);
            assertThat(h.engine.streamCount()).isEqualTo(1);
        }

        @Test
        void expiryTimesTheServerCannotRepresentAreRejected() {
            for (String at : List.of("+300000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
                    "9999-12-31T23:59:59-01:00")) {
                Response r = h.call("PUT", "far").header("content-type", "text/plain").header("stream-expires-at", at).send();
                assertThat(r.status()).as(at).isEqualTo(400);
                assertThat(text(r)).contains("\"type\":\"invalid-header\"");
            }
            assertThat(h.call("HEAD", "far").send().status()).isEqualTo(404);
            Response latest = h.call("PUT", "far").header("content-type", "text/plain")
                    .header("stream-expires-at", "9999-12-31T23:59:59Z").send();
            assertThat(latest.status()).isEqualTo(201);
            assertThat(read("far", "-1").status()).isEqualTo(200);
            assertThat(h.engine.sweepExpired()).isZero();
        }

        @Test
        void theLongestTtlNeverOverflows() {
            assertThat(h.call("PUT", "t").header("content-type", "text/plain").header("stream-ttl", "9007199254740").send().status())
                    .isEqualTo(201);
            h.advance(1_000_000_000L);
            assertThat(read("t", "-1").status()).isEqualTo(200);
            assertThat(h.engine.sweepExpired()).isZero();
        }

        @Test
        void aStreamExpiredAtCreationIsRejected() {
            Response ttl = h.call("PUT", "t").header("content-type", "text/plain").header("stream-ttl", "0").send();
            assertThat(ttl.status()).isEqualTo(400);
            assertThat(text(ttl)).contains("\"type\":\"invalid-ttl\"");
            for (long delta : new long[] {-1_000, 0}) {
                String at = java.time.Instant.ofEpochMilli(h.now.get() + delta).toString();
                Response past = h.call("PUT", "e").header("content-type", "text/plain").header("stream-expires-at", at).send();
                assertThat(past.status()).as(at).isEqualTo(400);
                assertThat(text(past)).contains("\"type\":\"expires-in-past\"");
            }
            assertThat(h.call("HEAD", "t").send().status()).isEqualTo(404);
            assertThat(h.call("HEAD", "e").send().status()).isEqualTo(404);
        }

        @Test
        void expiresAtIsAbsolute() {
            String at = java.time.Instant.ofEpochMilli(h.now.get() + 5_000).toString();
            h.call("PUT", "e").header("content-type", "text/plain").header("stream-expires-at", at).send();
            h.advance(4_999);
            assertThat(read("e", "-1").status()).isEqualTo(200);
            h.advance(1);
            assertThat(read("e", "-1").status()).isEqualTo(404);
        }
    }

    @Nested
    class IncarnationsExtension {
        @Test
        void anOffsetOfADeletedIncarnationIsAResetNotSilence() {
            create("s", "text/plain", "old data that is long");
            String oldTail = next(read("s", "-1"));
            h.call("DELETE", "s").send();
            Response recreated = create("s", "text/plain", "new");
            String current = recreated.headers().get("stream-incarnation");
            assertThat(current).isNotNull().isNotEqualTo(oldTail.substring(0, 16));
            for (EngineHarness.Call call : List.of(
                    h.call("GET", "s").param("offset", oldTail),
                    h.call("GET", "s").param("offset", oldTail).param("live", "long-poll"),
                    h.call("GET", "s").param("offset", oldTail).param("live", "sse"),
                    h.call("PUT", "f").header("stream-forked-from", "s").header("stream-fork-offset", oldTail))) {
                Response r = call.send();
                assertThat(r.status()).isEqualTo(410);
                assertThat(r.headers()).containsEntry("stream-incarnation", current);
                assertThat(r.headers().get("cache-control")).contains("immutable");
                assertThat(text(r)).contains("\"type\":\"stream-reset\"");
            }
            assertThat(text(read("s", "0000000000000000_0000000000000000"))).isEqualTo("new");
            assertThat(read("s", "9999999999999999_9999999999999999").status()).isEqualTo(400);
        }

        @Test
        void writesWithAStaleIncarnationPreconditionChangeNothing() {
            Response first = create("s", "text/plain", null);
            String old = first.headers().get("stream-incarnation");
            h.call("DELETE", "s").send();
            String current = create("s", "text/plain", "kept").headers().get("stream-incarnation");
            Response stale = h.call("POST", "s").header("content-type", "text/plain").header("stream-incarnation", old).body("lost").send();
            assertThat(stale.status()).isEqualTo(412);
            assertThat(stale.headers()).containsEntry("stream-incarnation", current);
            assertThat(h.call("POST", "s").header("stream-incarnation", old).header("stream-closed", "true").send().status()).isEqualTo(412);
            assertThat(h.call("DELETE", "s").header("stream-incarnation", old).send().status()).isEqualTo(412);
            assertThat(h.call("POST", "s").header("content-type", "text/plain").header("stream-incarnation", current).body("!").send().status())
                    .isEqualTo(204);
            assertThat(text(read("s", "-1"))).isEqualTo("kept!");
        }

        @Test
        void forkChainsAcceptEveryAncestorsOffsets() {
            create("src", "text/plain", "abc");
            String srcTail = next(read("src", "-1"));
            h.call("PUT", "fork").header("stream-forked-from", "src").send();
            append("fork", "text/plain", "def");
            assertThat(text(read("fork", srcTail))).isEqualTo("def");
            append("src", "text/plain", "xyz");
            String srcAfter = next(read("src", "-1"));
            assertThat(read("fork", srcAfter).status()).as("a source offset past the divergence").isEqualTo(400);
        }
    }

    @Nested
    class BadInput {
        @Test
        void malformedRequestsGetA400WithAProblemBody() {
            create("s", "text/plain", "x");
            List<EngineHarness.Call> bad = List.of(
                    h.call("GET", "s").param("offset", "abc"),
                    h.call("GET", "s").param("offset", ""),
                    h.call("GET", "s").param("offset", "-1").param("offset", "-1"),
                    h.call("GET", "s").param("offset", "9999999999999999_9999999999999999"),
                    h.call("GET", "s").param("live", "long-poll"),
                    h.call("GET", "s").param("offset", "-1").param("live", "forever"),
                    h.call("PUT", "t").header("stream-ttl", "-1"),
                    h.call("PUT", "t").header("stream-ttl", "1e3"),
                    h.call("PUT", "t").header("stream-ttl", "99999999999999999999"),
                    h.call("PUT", "t").header("stream-expires-at", "tomorrow"),
                    h.call("PUT", "t").header("stream-ttl", "1").header("stream-expires-at", "2030-01-01T00:00:00Z"),
                    h.call("PUT", "t").header("content-type", "not a type"),
                    h.call("PUT", "t").header("stream-fork-offset", "0000000000000000_0000000000000000"),
                    h.call("POST", "s").header("content-type", "text/plain"),
                    h.call("POST", "s").body("x"),
                    h.call("POST", "s").header("content-type", "text/plain").header("producer-id", "p").body("x"),
                    h.call("POST", "s").header("content-type", "text/plain").header("producer-id", "")
                            .header("producer-epoch", "0").header("producer-seq", "0").body("x"),
                    h.call("POST", "s").header("content-type", "text/plain").header("producer-id", "p")
                            .header("producer-epoch", "9007199254740992").header("producer-seq", "0").body("x"),
                    h.call("GET", "%zz"),
                    h.call("GET", "%C3%28"),
                    h.call("GET", "a\u0001b"),
                    h.call("GET", "x".repeat(2000)));
            for (EngineHarness.Call call : bad) {
                Response r = call.send();
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.headers()).containsEntry("content-type", "application/problem+json");
                assertThat(text(r)).startsWith("{\"type\":\"");
            }
        }
    }
}
