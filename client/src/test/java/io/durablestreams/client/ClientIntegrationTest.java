package io.durablestreams.client;

import com.sun.net.httpserver.HttpExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against scripted HTTP servers on free loopback ports: wire behaviour, retries, cancellation. */
class ClientIntegrationTest {
    @RegisterExtension
    final FakeServers servers = new FakeServers();

    private static DurableStreamsClient.Builder fastClient() {
        return DurableStreamsClient.newBuilder().jitter(() -> 0.0)
                .retryPolicy(RetryPolicy.newBuilder().maxRetries(3).initialDelayMs(1).maxDelayMs(5).build());
    }

    @Test
    void catchUpFollowsOffsetsUntilUpToDateWithSortedQueryParameters() throws Exception {
        FakeServer s = servers.start(ex -> {
            String offset = FakeServer.query(ex, "offset");
            if ("-1".equals(offset)) {
                FakeServer.respond(ex, 200, Map.of("Stream-Next-Offset", "o1"), "ab");
            } else {
                FakeServer.respond(ex, 200, Map.of("Stream-Next-Offset", "o2", "Stream-Up-To-Date", "true"), "cd");
            }
        });
        DurableStreamsClient client = fastClient().param("zeta", "1").build();
        try (ReadResponse r = client.stream(s.url("/s")).read(ReadOptions.newBuilder().param("alpha", "x").build())) {
            assertThat(r.readAllText()).isEqualTo("abcd");
            assertThat(r.offset()).isEqualTo("o2");
            assertThat(r.upToDate()).isTrue();
            assertThat(r.closed()).isFalse();
        }
        assertThat(s.requests).containsExactly("GET /s?alpha=x&offset=-1&zeta=1", "GET /s?alpha=x&offset=o1&zeta=1");
    }

    @Test
    void retriesServerErrorsButNotClientErrors() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FakeServer s = servers.start(ex -> {
            if (ex.getRequestURI().getPath().equals("/bad")) {
                FakeServer.respond(ex, 400, Map.of(), "Invalid offset format");
            } else if (calls.incrementAndGet() < 3) {
                FakeServer.respond(ex, 503, Map.of("Retry-After", "0"), "");
            } else {
                FakeServer.respond(ex, 200, Map.of("Stream-Next-Offset", "o1", "Stream-Up-To-Date", "true"), "x");
            }
        });
        DurableStreamsClient client = fastClient().build();
        assertThat(client.stream(s.url("/s")).read().readAllText()).isEqualTo("x");
        assertThat(calls).hasValue(3);
        assertThatThrownBy(() -> client.stream(s.url("/bad")).read())
                .isInstanceOf(InvalidOffsetException.class)
                .satisfies(e -> assertThat(((DurableStreamException) e).status()).isEqualTo(400));
        assertThat(s.requests.stream().filter(r -> r.startsWith("GET /bad"))).hasSize(1);
    }

    @Test
    void givesUpAfterTheRetryBudgetWithTheLastStatus() throws Exception {
        FakeServer s = servers.start(ex -> FakeServer.respond(ex, 500, Map.of(), "boom"));
        assertThatThrownBy(() -> fastClient().build().stream(s.url("/s")).read())
                .isInstanceOf(UnexpectedStatusException.class)
                .satisfies(e -> assertThat(((DurableStreamException) e).status()).isEqualTo(500));
        assertThat(s.requests).hasSize(4);
    }

    @Test
    void plainAppendIsNotRetriedAfterAResponselessFailureUnlessOptedIn() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        FakeServer s = servers.start(ex -> {
            posts.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.close();
        });
        DurableStream stream = fastClient().build().stream(s.url("/s"), "text/plain");
        assertThatThrownBy(() -> stream.append("once")).isInstanceOf(StreamNetworkException.class);
        assertThat(posts).hasValue(1);

        DurableStream optedIn = fastClient().retryUnsafeAppends(true).build().stream(s.url("/s"), "text/plain");
        assertThatThrownBy(() -> optedIn.append("maybe twice")).isInstanceOf(StreamNetworkException.class);
        assertThat(posts).hasValue(1 + 4);
    }

    @Test
    void notFoundIsTypedAndNamesTheStream() throws Exception {
        FakeServer s = servers.start(ex -> FakeServer.respond(ex, 404, Map.of(), "Stream not found"));
        assertThatThrownBy(() -> fastClient().build().stream(s.url("/missing")).head())
                .isInstanceOf(StreamNotFoundException.class)
                .hasMessageContaining("/missing")
                .satisfies(e -> assertThat(((DurableStreamException) e).url().getPath()).isEqualTo("/missing"));
    }

    @Test
    void malformedJsonBatchIsAParseErrorNotAnEmptyResult() throws Exception {
        FakeServer s = servers.start(ex -> FakeServer.respond(ex, 200, Map.of("Content-Type", "application/json",
                "Stream-Next-Offset", "o1", "Stream-Up-To-Date", "true"), "[{\"key\":\"s"));
        assertThatThrownBy(() -> fastClient().build().stream(s.url("/j")).read()).isInstanceOf(ParseException.class);
    }

    @Test
    void sseReconnectsFromTheLastControlOffsetEchoesTheCursorAndStopsAtClosed() throws Exception {
        FakeServer s = servers.start(ex -> {
            String offset = FakeServer.query(ex, "offset");
            if (FakeServer.query(ex, "live") == null) {
                FakeServer.respond(ex, 200, Map.of("Stream-Next-Offset", offset, "Stream-Up-To-Date", "true",
                        "Content-Type", "text/plain"), "");
                return;
            }
            String events = offset.equals("o0")
                    ? "event: data\ndata:hello\n\nevent: control\ndata:{\"streamNextOffset\":\"o1\",\"streamCursor\":\"c1\",\"upToDate\":true}\n\n"
                    : "event: data\ndata:bye\n\nevent: control\ndata:{\"streamNextOffset\":\"o2\",\"streamClosed\":true}\n\n";
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(events.getBytes(StandardCharsets.UTF_8));
            }
        });
        List<Chunk> chunks = new ArrayList<>();
        try (ReadResponse r = fastClient().build().stream(s.url("/s"))
                .read(ReadOptions.newBuilder().offset("o0").live(LiveMode.SSE).build());
             CloseableIterator<Chunk> it = r.chunks()) {
            it.forEachRemaining(chunks::add);
            assertThat(r.closed()).isTrue();
        }
        assertThat(chunks).extracting(Chunk::text).containsExactly("", "hello", "bye");
        assertThat(chunks.get(2).offset()).isEqualTo("o2");
        assertThat(chunks.get(2).closed()).isTrue();
        assertThat(s.requests).containsExactly("GET /s?offset=o0", "GET /s?live=sse&offset=o0",
                "GET /s?cursor=c1&live=sse&offset=o1");
    }

    @Test
    void closingALiveReadReleasesABlockedConsumerAtOnce() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        servers.closeAfterTest(release::countDown);
        FakeServer s = servers.start(ex -> {
            requested.countDown();
            release.await(30, TimeUnit.SECONDS);
            FakeServer.respond(ex, 204, Map.of("Stream-Next-Offset", "o1", "Stream-Up-To-Date", "true"), "");
        });
        ReadResponse r = fastClient().build().stream(s.url("/s"))
                .read(ReadOptions.newBuilder().offset(Offsets.NOW).live(LiveMode.LONG_POLL).build());
        CloseableIterator<Chunk> it = r.chunks();
        CountDownLatch ended = new CountDownLatch(1);
        Thread consumer = new Thread(() -> {
            while (it.hasNext()) {
                it.next();
            }
            ended.countDown();
        });
        consumer.start();
        assertThat(requested.await(10, TimeUnit.SECONDS)).isTrue();
        r.close();
        assertThat(ended.await(5, TimeUnit.SECONDS)).as("consumer released after close").isTrue();
    }

    @Test
    void errorHandlerCanRetryWithARefreshedToken() throws Exception {
        FakeServer s = servers.start(ex -> {
            if ("Bearer new".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                FakeServer.respond(ex, 200, Map.of("Stream-Next-Offset", "o9", "Content-Type", "text/plain"), "");
            } else {
                FakeServer.respond(ex, 401, Map.of(), "expired");
            }
        });
        AtomicInteger hookCalls = new AtomicInteger();
        DurableStreamsClient client = fastClient()
                .header("Authorization", () -> "Bearer old")
                .onError((error, attempt) -> {
                    hookCalls.incrementAndGet();
                    return error.status() == 401 && attempt == 0
                            ? ErrorDecision.retryWith(Map.of("Authorization", "Bearer new"), Map.of())
                            : ErrorDecision.stop();
                })
                .requestTimeout(Duration.ofSeconds(5))
                .build();
        StreamInfo info = client.stream(s.url("/s")).head();
        assertThat(info.nextOffset()).isEqualTo("o9");
        assertThat(hookCalls).hasValue(1);
    }

    @Test
    void producerBatchesAndFlushesWithProducerHeaders() throws Exception {
        List<String> seen = new ArrayList<>();
        FakeServer s = servers.start(ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (seen) {
                seen.add(ex.getRequestHeaders().getFirst("Producer-Epoch") + "/"
                        + ex.getRequestHeaders().getFirst("Producer-Seq") + ":" + body);
            }
            FakeServer.respond(ex, 200, Map.of("Stream-Next-Offset", "o" + seen.size()), "");
        });
        DurableStream stream = fastClient().build().stream(s.url("/j"), "application/json");
        try (IdempotentProducer p = stream.producer(ProducerOptions.newBuilder("p1").epoch(2).lingerMs(60_000)
                .maxBatchItems(2).maxInFlight(1).build())) {
            p.appendJson(Map.of("n", 1));
            p.appendJson(List.of(1, 2));
            p.append("\"three\"");
            p.flush();
            assertThat(p.lastOffset()).isEqualTo("o2");
        }
        assertThat(seen).containsExactly("2/0:[{\"n\":1},[1,2]]", "2/1:[\"three\"]");
    }
}
