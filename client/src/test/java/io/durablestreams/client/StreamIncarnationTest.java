package io.durablestreams.client;

import com.sun.net.httpserver.HttpExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client side of the stream-incarnations extension (docs/extensions/stream-incarnations.md)
 * against scripted servers: 410 {@code stream-reset} on every read path and on fork, restarts of
 * restartable streams, the 307 to immutable start URLs, and the pinned incarnation of handles and
 * producers with the 412 {@code incarnation-mismatch}.
 */
class StreamIncarnationTest {
    private static final String OLD = "0000000000000001";
    private static final String NEW = "0000000000000002";
    private static final String OLD_START = OLD + "_0000000000000000";
    private static final String OLD_TAIL = OLD + "_0000000000000005";
    private static final String NEW_START = NEW + "_0000000000000000";
    private static final String NEW_TAIL = NEW + "_0000000000000003";

    @RegisterExtension
    final FakeServers servers = new FakeServers();

    private static DurableStreamsClient client() {
        return DurableStreamsClient.newBuilder().jitter(() -> 0.0)
                .retryPolicy(RetryPolicy.newBuilder().maxRetries(1).initialDelayMs(1).maxDelayMs(1).build()).build();
    }

    /** The server's answer to an offset of a dead incarnation. */
    private static void reset(HttpExchange ex, boolean restartable) throws Exception {
        FakeServer.respond(ex, 410, Map.of("Content-Type", "application/problem+json", "Stream-Incarnation", NEW,
                "Stream-Restartable", Boolean.toString(restartable),
                "Cache-Control", "public, max-age=31536000, immutable"),
                "{\"type\":\"stream-reset\",\"title\":\"Stream was reset\",\"status\":410}");
    }

    private static void data(HttpExchange ex, String next, String body) throws Exception {
        FakeServer.respond(ex, 200, Map.of("Content-Type", "text/plain", "Stream-Next-Offset", next,
                "Stream-Up-To-Date", "true", "Stream-Incarnation", NEW), body);
    }

    private static void sse(HttpExchange ex, String events) throws Exception {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(events.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void assertReset(Throwable e, boolean restartable) {
        assertThat(e).isInstanceOf(StreamResetException.class);
        StreamResetException reset = (StreamResetException) e;
        assertThat(reset.status()).isEqualTo(410);
        assertThat(reset.oldIncarnation()).isEqualTo(OLD);
        assertThat(reset.newIncarnation()).isEqualTo(NEW);
        assertThat(reset.restartable()).isEqualTo(restartable);
        assertThat(reset.url().getPath()).isEqualTo("/s");
    }

    // ---------------------------------------------------------------- non-restartable: typed failure

    @Test
    void catchUpFromAnOffsetOfAnEarlierIncarnationFailsWithStreamReset() throws Exception {
        FakeServer s = servers.start(ex -> reset(ex, false));
        assertThatThrownBy(() -> client().stream(s.url("/s")).read(ReadOptions.newBuilder().offset(OLD_TAIL).build()))
                .satisfies(e -> assertReset(e, false));
    }

    @Test
    void longPollAfterTheStreamWasRecreatedFailsTheIterator() throws Exception {
        FakeServer s = servers.start(ex -> {
            if (FakeServer.query(ex, "live") == null) {
                data(ex, OLD_TAIL, "old");
            } else {
                reset(ex, false);
            }
        });
        try (ReadResponse r = client().stream(s.url("/s"))
                .read(ReadOptions.newBuilder().offset(OLD_START).live(LiveMode.LONG_POLL).build());
             CloseableIterator<Chunk> it = r.chunks()) {
            assertThat(it.next().text()).isEqualTo("old");
            assertThatThrownBy(it::hasNext).satisfies(e -> assertReset(e, false));
        }
    }

    @Test
    void sseReconnectAfterTheStreamWasRecreatedFailsTheIterator() throws Exception {
        FakeServer s = servers.start(ex -> {
            String offset = FakeServer.query(ex, "offset");
            if (FakeServer.query(ex, "live") == null) {
                data(ex, OLD_START, "");
            } else if (offset.equals(OLD_START)) {
                sse(ex, "event: data\ndata:hello\n\nevent: control\ndata:{\"streamNextOffset\":\"" + OLD_TAIL
                        + "\",\"upToDate\":true}\n\n");
            } else {
                reset(ex, false);
            }
        });
        List<String> texts = new ArrayList<>();
        try (ReadResponse r = client().stream(s.url("/s"))
                .read(ReadOptions.newBuilder().offset(OLD_START).live(LiveMode.SSE).build());
             CloseableIterator<Chunk> it = r.chunks()) {
            assertThatThrownBy(() -> it.forEachRemaining(c -> texts.add(c.text()))).satisfies(e -> assertReset(e, false));
        }
        assertThat(texts).containsExactly("", "hello");
        assertThat(s.requests).last().isEqualTo("GET /s?live=sse&offset=" + OLD_TAIL);
    }

    @Test
    void callbackSubscriptionReportsTheResetToOnError() throws Exception {
        FakeServer s = servers.start(ex -> {
            if (FakeServer.query(ex, "live") == null) {
                data(ex, OLD_TAIL, "old");
            } else {
                reset(ex, false);
            }
        });
        CompletableFuture<DurableStreamException> error = new CompletableFuture<>();
        List<String> texts = new CopyOnWriteArrayList<>();
        try (ReadResponse r = client().stream(s.url("/s"))
                .read(ReadOptions.newBuilder().offset(OLD_START).live(LiveMode.AUTO).build())) {
            r.subscribe(new ChunkListener() {
                @Override
                public void onChunk(Chunk chunk) {
                    texts.add(chunk.text());
                }

                @Override
                public void onError(DurableStreamException e) {
                    error.complete(e);
                }
            });
            assertReset(error.get(10, TimeUnit.SECONDS), false);
        }
        assertThat(texts).containsExactly("old");
    }

    @Test
    void forkAtAnOffsetOfAnEarlierIncarnationFailsWithStreamReset() throws Exception {
        FakeServer s = servers.start(ex -> reset(ex, false));
        DurableStreamsClient client = client();
        assertThatThrownBy(() -> client.stream(s.url("/s"))
                .fork(client.stream(s.url("/f")), ForkOptions.newBuilder().offset(OLD_TAIL).build()))
                .isInstanceOf(StreamResetException.class)
                .satisfies(e -> assertThat(((StreamResetException) e).oldIncarnation()).isEqualTo(OLD));
    }

    @Test
    void aPlainGoneIsStillOffsetGone() throws Exception {
        FakeServer s = servers.start(ex -> FakeServer.respond(ex, 410, Map.of("Content-Type", "application/problem+json"),
                "{\"type\":\"stream-gone\"}"));
        assertThatThrownBy(() -> client().stream(s.url("/s")).read()).isInstanceOf(OffsetGoneException.class);
    }

    // ---------------------------------------------------------------- restartable: restart or veto

    @Test
    void restartableStreamRestartsFromTheBeginningAndFlagsTheFirstChunkOfTheNewIncarnation() throws Exception {
        FakeServer s = servers.start(ex -> {
            if (FakeServer.query(ex, "offset").equals("-1")) {
                data(ex, NEW_TAIL, "new");
            } else {
                reset(ex, true);
            }
        });
        List<String> resets = new ArrayList<>();
        List<Chunk> chunks = new ArrayList<>();
        try (ReadResponse r = client().stream(s.url("/s")).read(ReadOptions.newBuilder().offset(OLD_TAIL)
                .onReset((oldIncarnation, newIncarnation) -> resets.add(oldIncarnation + "->" + newIncarnation))
                .build());
             CloseableIterator<Chunk> it = r.chunks()) {
            it.forEachRemaining(chunks::add);
            assertThat(r.incarnation()).isEqualTo(NEW);
            assertThat(r.offset()).isEqualTo(NEW_TAIL);
        }
        assertThat(resets).containsExactly(OLD + "->" + NEW);
        assertThat(chunks).extracting(Chunk::reset).containsExactly(true, false);
        assertThat(chunks.get(0).isEmpty()).isTrue();
        assertThat(chunks.get(0).offset()).isEqualTo(Offsets.BEGINNING);
        assertThat(chunks.get(1).text()).isEqualTo("new");
        assertThat(s.requests).containsExactly("GET /s?offset=" + OLD_TAIL, "GET /s?offset=-1");
    }

    @Test
    void readAllKeepsOnlyTheNewIncarnationsDataAfterARestart() throws Exception {
        FakeServer s = servers.start(ex -> {
            String offset = FakeServer.query(ex, "offset");
            if (offset.equals(OLD_START)) {
                FakeServer.respond(ex, 200, Map.of("Content-Type", "application/json", "Stream-Next-Offset",
                        OLD_TAIL), "[\"old\"]");
            } else if (offset.equals("-1")) {
                FakeServer.respond(ex, 200, Map.of("Content-Type", "application/json", "Stream-Next-Offset",
                        NEW_TAIL, "Stream-Up-To-Date", "true"), "[\"new\"]");
            } else {
                reset(ex, true);
            }
        });
        try (ReadResponse r = client().stream(s.url("/s")).read(ReadOptions.newBuilder().offset(OLD_START).build())) {
            assertThat(r.readAllJson()).containsExactly("new");
        }
    }

    @Test
    void softRestartContinuesFromNow() throws Exception {
        FakeServer s = servers.start(ex -> {
            if (FakeServer.query(ex, "offset").equals("now")) {
                data(ex, NEW_TAIL, "");
            } else {
                reset(ex, true);
            }
        });
        try (ReadResponse r = client().stream(s.url("/s"))
                .read(ReadOptions.newBuilder().offset(OLD_TAIL).restartMode(RestartMode.SOFT).build());
             CloseableIterator<JsonBatch<Object>> batches = r.jsonBatches()) {
            JsonBatch<Object> marker = batches.next();
            assertThat(marker.reset()).isTrue();
            assertThat(marker.offset()).isEqualTo(Offsets.NOW);
            assertThat(batches.hasNext()).isTrue();
            assertThat(batches.next().offset()).isEqualTo(NEW_TAIL);
        }
        assertThat(s.requests).containsExactly("GET /s?offset=" + OLD_TAIL, "GET /s?offset=now");
    }

    @Test
    void aVetoedRestartFailsWithStreamReset() throws Exception {
        FakeServer s = servers.start(ex -> reset(ex, true));
        assertThatThrownBy(() -> client().stream(s.url("/s"))
                .read(ReadOptions.newBuilder().offset(OLD_TAIL).onReset((o, n) -> false).build()))
                .satisfies(e -> assertReset(e, true));
        assertThat(s.requests).hasSize(1);
    }

    // ---------------------------------------------------------------- immutable start URLs

    @Test
    void aRedirectFromTheBeginningIsFollowedToTheIncarnationsFirstOffset() throws Exception {
        AtomicReference<String> base = new AtomicReference<>();
        FakeServer s = servers.start(ex -> {
            if (FakeServer.query(ex, "offset").equals("-1")) {
                FakeServer.respond(ex, 307, Map.of("Location", base.get() + "/s?offset=" + NEW_START,
                        "Cache-Control", "public, max-age=5", "Stream-Incarnation", NEW), "");
            } else {
                data(ex, NEW_TAIL, "data");
            }
        });
        base.set(s.url(""));
        try (ReadResponse r = client().stream(s.url("/s")).read()) {
            assertThat(r.readAllText()).isEqualTo("data");
        }
        assertThat(s.requests).containsExactly("GET /s?offset=-1", "GET /s?offset=" + NEW_START);
    }

    // ---------------------------------------------------------------- writers pin the incarnation

    /** A stream whose incarnation the test can change; records the Stream-Incarnation each write sent. */
    private static final class RecreatableStream implements FakeServer.Handler {
        volatile String current = OLD;
        final List<String> writes = new CopyOnWriteArrayList<>();
        final Map<String, Long> lastSeq = new HashMap<>();

        @Override
        public void handle(HttpExchange ex) throws Exception {
            String sent = ex.getRequestHeaders().getFirst("Stream-Incarnation");
            String method = ex.getRequestMethod();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (method.equals("PUT") || method.equals("HEAD")) {
                FakeServer.respond(ex, method.equals("PUT") ? 201 : 200, Map.of("Stream-Incarnation", current,
                        "Stream-Next-Offset", current + "_0000000000000000", "Content-Type", "text/plain"), "");
                return;
            }
            String producer = ex.getRequestHeaders().getFirst("Producer-Seq") == null ? ""
                    : " epoch=" + ex.getRequestHeaders().getFirst("Producer-Epoch")
                    + " seq=" + ex.getRequestHeaders().getFirst("Producer-Seq");
            writes.add(method + " " + body + producer + " incarnation=" + sent);
            if (sent != null && !sent.equals(current)) {
                FakeServer.respond(ex, 412, Map.of("Content-Type", "application/problem+json",
                        "Stream-Incarnation", current), "{\"type\":\"incarnation-mismatch\",\"status\":412}");
                return;
            }
            FakeServer.respond(ex, producer.isEmpty() ? 204 : 200, Map.of("Stream-Incarnation", current,
                    "Stream-Next-Offset", current + "_000000000000000" + writes.size()), "");
        }
    }

    @Test
    void aHandlePinsTheIncarnationOfCreateAndWritesNothingIntoARecreatedStream() throws Exception {
        RecreatableStream server = new RecreatableStream();
        FakeServer s = servers.start(server);
        DurableStream stream = client().stream(s.url("/s"));
        stream.create();
        assertThat(stream.incarnation()).isEqualTo(OLD);
        stream.append("a");
        server.current = NEW;
        assertThatThrownBy(() -> stream.append("b"))
                .isInstanceOfSatisfying(IncarnationChangedException.class, e -> {
                    assertThat(e.status()).isEqualTo(412);
                    assertThat(e.pinnedIncarnation()).isEqualTo(OLD);
                    assertThat(e.currentIncarnation()).isEqualTo(NEW);
                    assertThat(e.undeliveredItems()).isEmpty();
                });
        assertThatThrownBy(stream::delete).isInstanceOf(IncarnationChangedException.class);
        assertThat(stream.head().incarnation()).isEqualTo(NEW);
        assertThat(stream.incarnation()).as("head does not move the pin").isEqualTo(OLD);
        stream.connect();
        stream.append("c");
        assertThat(server.writes).containsExactly("POST a incarnation=" + OLD, "POST b incarnation=" + OLD,
                "DELETE  incarnation=" + OLD, "POST c incarnation=" + NEW);
    }

    @Test
    void aHandleWithoutAnIncarnationPinsTheOneItsFirstWriteReports() throws Exception {
        RecreatableStream server = new RecreatableStream();
        FakeServer s = servers.start(server);
        DurableStream stream = client().stream(s.url("/s"));
        stream.append("a");
        stream.append("b");
        assertThat(server.writes).containsExactly("POST a incarnation=null", "POST b incarnation=" + OLD);
    }

    @Test
    void aProducerFailsItsPendingBatchesListingTheUndeliveredItemsAndContinuesOnRequest() throws Exception {
        RecreatableStream server = new RecreatableStream();
        FakeServer s = servers.start(server);
        DurableStream stream = client().stream(s.url("/s"));
        stream.create();
        try (IdempotentProducer producer = stream.producer(ProducerOptions.newBuilder("p").lingerMs(0)
                .maxBatchItems(1).maxInFlight(1).build())) {
            producer.append("a");
            producer.flush();
            server.current = NEW;
            producer.append("b");
            producer.append("c");
            IncarnationChangedException changed = (IncarnationChangedException) org.assertj.core.api.Assertions
                    .catchThrowable(producer::flush);
            assertThat(changed.currentIncarnation()).isEqualTo(NEW);
            assertThat(changed.undeliveredItems()).extracting(b -> new String(b, StandardCharsets.UTF_8))
                    .containsExactly("b", "c");
            assertThatThrownBy(() -> producer.append("d")).isInstanceOf(IncarnationChangedException.class);

            producer.continueOnNewIncarnation();
            assertThat(producer.incarnation()).isEqualTo(NEW);
            assertThat(producer.epoch()).isEqualTo(1);
            changed.undeliveredItems().forEach(producer::append);
            producer.flush();
        }
        assertThat(server.writes).containsExactly(
                "POST a epoch=0 seq=0 incarnation=" + OLD,
                "POST b epoch=0 seq=1 incarnation=" + OLD,
                "POST b epoch=1 seq=0 incarnation=" + NEW,
                "POST c epoch=1 seq=1 incarnation=" + NEW);
    }

    @Test
    void continuingWithoutAnIncarnationChangeIsRefused() throws Exception {
        RecreatableStream server = new RecreatableStream();
        FakeServer s = servers.start(server);
        try (IdempotentProducer producer = client().stream(s.url("/s")).producer(ProducerOptions.newBuilder("p")
                .build())) {
            assertThatThrownBy(producer::continueOnNewIncarnation).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void undeliveredBatchesAreListedInAppendOrderWhateverOrderTheirFailuresArriveIn() {
        List<ProducerPipeline.Attempt> attempts = new ArrayList<>();
        List<Consumer<ProducerPipeline.Outcome>> callbacks = new ArrayList<>();
        ProducerPipeline pipeline = new ProducerPipeline((attempt, onOutcome) -> {
            attempts.add(attempt);
            callbacks.add(onOutcome);
        }, ProducerOptions.newBuilder("p").build(), null, OLD);
        pipeline.enqueue(new Batch(List.of("0".getBytes(StandardCharsets.UTF_8)), false), false);
        pipeline.pump();
        callbacks.get(0).accept(new ProducerPipeline.Outcome.Accepted(OLD_START, false)); // confirms the epoch
        for (String item : List.of("1", "2", "3")) {
            pipeline.enqueue(new Batch(List.of(item.getBytes(StandardCharsets.UTF_8)), false), false);
        }
        pipeline.pump();
        assertThat(attempts).hasSize(4).extracting(ProducerPipeline.Attempt::incarnation).containsOnly(OLD);
        IncarnationChangedException mismatch = new IncarnationChangedException("412", 412, null, OLD, NEW, List.of());
        for (int i = 3; i >= 1; i--) {
            callbacks.get(i).accept(new ProducerPipeline.Outcome.Failed(mismatch));
        }
        assertThat(pipeline.undeliveredItems()).extracting(b -> new String(b, StandardCharsets.UTF_8))
                .containsExactly("1", "2", "3");
        pipeline.continueOn(NEW, 1);
        assertThat(pipeline.failure()).isNull();
        assertThat(pipeline.undeliveredItems()).isEmpty();
        assertThat(pipeline.incarnation()).isEqualTo(NEW);
    }
}
