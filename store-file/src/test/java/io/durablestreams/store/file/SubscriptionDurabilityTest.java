package io.durablestreams.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.durablestreams.engine.subscriptions.WebhookOptions;
import io.durablestreams.engine.subscriptions.WebhookTransport;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subscriptions over the file store survive a crash (the engine is dropped without closing, as
 * kill -9 would): a webhook retry schedule and a pull-wake lease continue after the restart.
 */
class SubscriptionDurabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private HttpServer receiver;
    private final BlockingQueue<JsonNode> deliveries = new LinkedBlockingQueue<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeEach
    void receiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            deliveries.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            boolean fail = failuresLeft.getAndDecrement() > 0;
            byte[] body = (fail ? "down" : "{\"done\":true}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        if (engine != null) {
            engine.close();
        }
    }

    private FileStorage storage;
    /** The engine started last (the ones before it were crashed). */
    private StreamEngine engine;

    /** An engine over the data directory. */
    private StreamEngine start() {
        storage = new FileStorage(StoreFixture.config(dir));
        engine = new StreamEngine(EngineConfig.defaults(), storage, new FileControlStore(dir),
                new WebhookOptions(new LocalTransport(), true), System::currentTimeMillis, new SplittableRandom(9));
        engine.setPublicRoot("http://127.0.0.1:1/v1/stream/");
        return engine;
    }

    /** Posts with the JDK client; enough for a receiver on 127.0.0.1 (the server module has the real transport). */
    private static final class LocalTransport implements WebhookTransport {
        private final HttpClient http = HttpClient.newHttpClient();

        @Override
        public CompletableFuture<Reply> post(Post post) {
            HttpRequest.Builder req = HttpRequest.newBuilder(post.url()).timeout(post.timeout())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(post.body()));
            post.headers().forEach(req::header);
            return http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(r -> new Reply(r.statusCode(), r.body()));
        }

        @Override
        public void close() {}
    }

    /**
     * Like kill -9: the store writes nothing more (no checkpoint, catalog or clean-shutdown
     * marker) and the old engine's threads stop acting.
     */
    private void crash(StreamEngine crashed) {
        storage.abandon();
        crashed.close();
    }

    private static Response call(StreamEngine e, String method, String stream, String body) {
        Map<String, String> headers = Map.of("content-type", "application/json");
        return e.handle(new Request(method, stream, Map.of("offset", List.of("-1")), headers::get,
                body.getBytes(StandardCharsets.UTF_8), "http://127.0.0.1:1/v1/stream/", null)).join();
    }

    private static JsonNode json(Response r) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (ByteBuffer b : r.body()) {
            sb.append(StandardCharsets.UTF_8.decode(b.duplicate()));
        }
        return JSON.readTree(sb.toString());
    }

    @Test
    void aWebhookRetryScheduleSurvivesACrash() throws Exception {
        failuresLeft.set(1);
        StreamEngine first = start();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        call(first, "PUT", "__ds/subscriptions/w", "{\"type\":\"webhook\",\"streams\":[\"jobs/1\"],\"webhook\":{\"url\":\"" + hook + "\"}}");
        call(first, "PUT", "jobs/1", "{\"n\":1}");
        JsonNode failed = deliveries.poll(10, TimeUnit.SECONDS);
        assertThat(failed).isNotNull();
        awaitStatus(first, "w", "failed");
        // the retry (about 1 s later) must come from the restarted server
        crash(first);
        StreamEngine second = start();
        JsonNode retried = deliveries.poll(10, TimeUnit.SECONDS);
        assertThat(retried).as("the persisted retry schedule is honoured").isNotNull();
        assertThat(retried.get("wake_id")).isEqualTo(failed.get("wake_id"));
        assertThat(retried.get("generation")).isEqualTo(failed.get("generation"));
        awaitStatus(second, "w", "active");
        String tail = retried.get("streams").get(0).get("tail_offset").asText();
        assertThat(json(call(second, "GET", "__ds/subscriptions/w", "")).get("streams").get(0).get("acked_offset").asText())
                .isEqualTo(tail);
    }

    @Test
    void aPullWakeLeaseSurvivesACrashAndExpiresIntoANewWake() throws Exception {
        StreamEngine first = start();
        call(first, "PUT", "wake/pool", "[]");
        call(first, "PUT", "__ds/subscriptions/p", "{\"type\":\"pull-wake\",\"pattern\":\"tasks/*\",\"wake_stream\":\"wake/pool\",\"lease_ttl_ms\":1000}");
        call(first, "PUT", "tasks/a", "{\"n\":1}");
        Response claim = awaitClaim(first);
        long generation = json(claim).get("generation").asLong();

        crash(first);
        StreamEngine second = start();
        Response busy = call(second, "POST", "__ds/subscriptions/p/claim", "{\"worker\":\"other\"}");
        assertThat(busy.status()).as("the lease is still held after the restart").isEqualTo(409);
        long deadline = System.currentTimeMillis() + 10_000;
        JsonNode wakes;
        do {
            wakes = json(call(second, "GET", "wake/pool", ""));
        } while (wakes.size() < 2 && System.currentTimeMillis() < deadline);
        assertThat(wakes.size()).as("the expired lease re-wakes the pending work").isEqualTo(2);
        assertThat(wakes.get(1).get("generation").asLong()).isGreaterThan(generation);
    }

    private static Response awaitClaim(StreamEngine e) {
        long deadline = System.currentTimeMillis() + 5_000;
        Response r;
        do {
            r = call(e, "POST", "__ds/subscriptions/p/claim", "{\"worker\":\"w1\"}");
        } while (r.status() != 200 && System.currentTimeMillis() < deadline);
        assertThat(r.status()).isEqualTo(200);
        return r;
    }

    private static void awaitStatus(StreamEngine e, String id, String status) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!json(call(e, "GET", "__ds/subscriptions/" + id, "")).get("status").asText().equals(status)) {
            assertThat(System.currentTimeMillis()).as("status " + status).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
