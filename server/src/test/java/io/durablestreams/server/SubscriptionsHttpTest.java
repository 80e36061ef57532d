package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.ControlStore;
import io.durablestreams.engine.store.memory.MemoryControlStore;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.engine.subscriptions.WebhookOptions;
import io.durablestreams.server.webhooks.NettyWebhookTransport;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Subscriptions end to end: a real webhook receiver that verifies signatures against the JWKS. */
class SubscriptionsHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ControlStore control = new MemoryControlStore();
    private DurableStreamsServer server;
    private HttpServer receiver;
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final Deque<String[]> answers = new ArrayDeque<>();
    private final HttpClient http = HttpClient.newHttpClient();

    record Delivery(String body, String signature) {}

    @BeforeEach
    void start() throws Exception {
        server = newServer();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            deliveries.add(new Delivery(new String(body, StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("Webhook-Signature")));
            String[] answer;
            synchronized (answers) {
                answer = answers.isEmpty() ? new String[] {"200", "{}"} : answers.poll();
            }
            byte[] out = answer[1].getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(Integer.parseInt(answer[0]), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        receiver.start();
    }

    /** A server that allows local webhooks (the receiver listens on 127.0.0.1), as {@code --allow-local-webhooks}. */
    private DurableStreamsServer newServer() throws Exception {
        return newServer(true);
    }

    private DurableStreamsServer newServer(boolean allowLocalWebhooks) throws Exception {
        EngineConfig engine = EngineConfig.defaults();
        return new DurableStreamsServer(ServerConfig.defaults().withPort(0),
                new StreamEngine(engine, new MemoryStorage(), control, new WebhookOptions(new NettyWebhookTransport(), allowLocalWebhooks),
                        System::currentTimeMillis, new SplittableRandom(5))).start();
    }

    private void restart(boolean allowLocalWebhooks) throws Exception {
        server.close();
        server = newServer(allowLocalWebhooks);
    }

    @AfterEach
    void stop() {
        server.close();
        receiver.stop(0);
    }

    private String url(String path) {
        return server.url() + "/v1/stream/" + path;
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String hookUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    private void answer(int status, String body) {
        synchronized (answers) {
            answers.add(new String[] {Integer.toString(status), body});
        }
    }

    private Delivery nextDelivery() throws InterruptedException {
        Delivery d = deliveries.poll(10, TimeUnit.SECONDS);
        assertThat(d).as("a webhook delivery").isNotNull();
        return d;
    }

    @Test
    void deliveriesAreSignedWithAKeyFromTheJwks() throws Exception {
        send("PUT", "__ds/subscriptions/s1", "{\"type\":\"webhook\",\"pattern\":\"orders/*\",\"webhook\":{\"url\":\"" + hookUrl() + "\"}}", null);
        send("PUT", "orders/1", "{\"n\":1}", null);
        Delivery d = nextDelivery();
        JsonNode jwks = JSON.readTree(send("GET", "__ds/jwks.json", null, null).body());
        assertThat(verify(d, jwks)).isTrue();
        assertThat(verify(new Delivery(d.body().replace("orders/1", "orders/2"), d.signature()), jwks)).as("tampered body").isFalse();
        JsonNode body = JSON.readTree(d.body());
        assertThat(body.get("streams").get(0).get("path").asText()).isEqualTo("orders/1");
        assertThat(body.get("callback_url").asText()).isEqualTo(url("__ds/subscriptions/s1/callback"));
    }

    private static boolean verify(Delivery d, JsonNode jwks) throws Exception {
        String[] parts = d.signature().split(",");
        String t = parts[0].substring(2);
        String kid = parts[1].substring(4);
        byte[] sig = Base64.getUrlDecoder().decode(parts[2].substring("ed25519=".length()));
        for (JsonNode key : jwks.get("keys")) {
            if (key.get("kid").asText().equals(kid)) {
                byte[] raw = Base64.getUrlDecoder().decode(key.get("x").asText());
                byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
                byte[] x509 = new byte[prefix.length + raw.length];
                System.arraycopy(prefix, 0, x509, 0, prefix.length);
                System.arraycopy(raw, 0, x509, prefix.length, raw.length);
                PublicKey pk = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
                Signature v = Signature.getInstance("Ed25519");
                v.initVerify(pk);
                v.update((t + "." + d.body()).getBytes(StandardCharsets.UTF_8));
                return v.verify(sig);
            }
        }
        return false;
    }

    @Test
    void failedDeliveriesAreRetriedWithTheSameWake() throws Exception {
        answer(500, "oops");
        answer(200, "{\"done\":true}");
        send("PUT", "__ds/subscriptions/s2", "{\"type\":\"webhook\",\"streams\":[\"jobs/a\"],\"webhook\":{\"url\":\"" + hookUrl() + "\"}}", null);
        send("PUT", "jobs/a", "[1]", null);
        JsonNode first = JSON.readTree(nextDelivery().body());
        JsonNode second = JSON.readTree(nextDelivery().body());
        assertThat(second.get("wake_id")).isEqualTo(first.get("wake_id"));
        assertThat(second.get("generation")).isEqualTo(first.get("generation"));
        String tail = second.get("streams").get(0).get("tail_offset").asText();
        long deadline = System.currentTimeMillis() + 5_000;
        JsonNode sub;
        do {
            sub = JSON.readTree(send("GET", "__ds/subscriptions/s2", null, null).body());
        } while (!sub.get("streams").get(0).get("acked_offset").asText().equals(tail) && System.currentTimeMillis() < deadline);
        assertThat(sub.get("streams").get(0).get("acked_offset").asText()).isEqualTo(tail);
        assertThat(sub.get("status").asText()).isEqualTo("active");
    }

    @Test
    void anExpiredLeaseIsFencedAndTheWorkIsWokenAgain() throws Exception {
        send("PUT", "wake/pool", "[]", null);
        send("PUT", "__ds/subscriptions/p1", "{\"type\":\"pull-wake\",\"pattern\":\"tasks/**\",\"wake_stream\":\"wake/pool\",\"lease_ttl_ms\":1000}", null);
        send("PUT", "tasks/x/1", "{\"job\":1}", null);
        JsonNode claim = JSON.readTree(awaitClaim("p1", "w1").body());
        long generation = claim.get("generation").asLong();
        HttpResponse<String> busy = send("POST", "__ds/subscriptions/p1/claim", "{\"worker\":\"w2\"}", null);
        assertThat(busy.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(busy.body()).get("error").get("code").asText()).isEqualTo("ALREADY_CLAIMED");
        // the worker never acks: after the 1 s lease the subscription is woken again
        long deadline = System.currentTimeMillis() + 10_000;
        JsonNode wakes;
        do {
            wakes = JSON.readTree(send("GET", "wake/pool?offset=-1", null, null).body());
        } while (wakes.size() < 2 && System.currentTimeMillis() < deadline);
        assertThat(wakes.size()).isEqualTo(2);
        assertThat(wakes.get(1).get("generation").asLong()).isGreaterThan(generation);
        String staleAck = "{\"wake_id\":\"" + claim.get("wake_id").asText() + "\",\"generation\":" + generation
                + ",\"acks\":[],\"done\":true}";
        HttpResponse<String> fenced = send("POST", "__ds/subscriptions/p1/ack", staleAck, claim.get("token").asText());
        assertThat(fenced.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(fenced.body()).get("error").get("code").asText()).isEqualTo("FENCED");
        assertThat(send("POST", "__ds/subscriptions/p1/ack", staleAck, "forged.token").statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> awaitClaim(String id, String worker) throws Exception {
        long deadline = System.currentTimeMillis() + 5_000;
        HttpResponse<String> r;
        do {
            r = send("POST", "__ds/subscriptions/" + id + "/claim", "{\"worker\":\"" + worker + "\"}", null);
        } while (r.statusCode() != 200 && System.currentTimeMillis() < deadline);
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }

    @Test
    void subscriptionsAndSigningKeysSurviveARestart() throws Exception {
        send("PUT", "__ds/subscriptions/keep", "{\"type\":\"webhook\",\"pattern\":\"a/*\",\"webhook\":{\"url\":\"" + hookUrl() + "\"}}", null);
        String kid = JSON.readTree(send("GET", "__ds/subscriptions/keep", null, null).body()).get("webhook").get("signing").get("kid").asText();
        server.close();
        server = newServer();
        HttpResponse<String> again = send("GET", "__ds/subscriptions/keep", null, null);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("webhook").get("signing").get("kid").asText()).isEqualTo(kid);
        assertThat(send("DELETE", "__ds/subscriptions/keep", null, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "__ds/subscriptions/keep", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void reservedNamesAreNotStreams() throws Exception {
        assertThat(send("PUT", "__ds/anything", "{}", null).statusCode()).isEqualTo(404);
        assertThat(send("PUT", "__ds/subscriptions/bad", "{\"type\":\"webhook\",\"pattern\":\"x\",\"webhook\":{\"url\":\"https://169.254.169.254/\"}}", null)
                .statusCode()).isEqualTo(400);
        assertThat(send("PUT", "__ds/subscriptions/bad", "not json", null).statusCode()).isEqualTo(400);
        assertThat(send("PUT", "__ds/subscriptions/bad", "{\"type\":\"pull-wake\",\"pattern\":\"x\"}", null).statusCode()).isEqualTo(400);
    }

    private static final String[] LOOPBACK = {"localhost", "127.0.0.1", "127.0.0.9", "[::1]", "[::ffff:127.0.0.1]"};
    private static final String[] INSIDE = {"10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "[fd00::1]",
            "[::ffff:10.0.0.1]", "[::ffff:169.254.169.254]", "0.0.0.0"};

    private HttpResponse<String> createWebhook(String id, String url) throws Exception {
        return send("PUT", "__ds/subscriptions/" + id, "{\"type\":\"webhook\",\"streams\":[\"local/1\"],\"webhook\":{\"url\":\"" + url + "\"}}", null);
    }

    private static void assertRefused(HttpResponse<String> r, String url) throws Exception {
        assertThat(r.statusCode()).as(url).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type")).as(url).hasValue("application/problem+json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("type").asText()).isEqualTo("webhook-url-rejected");
        assertThat(body.get("error").get("code").asText()).isEqualTo("WEBHOOK_URL_REJECTED");
    }

    @Test
    void webhooksToLoopbackPrivateAndMetadataAddressesAreRefusedByDefault() throws Exception {
        restart(false);
        int port = receiver.getAddress().getPort();
        int n = 0;
        for (String host : concat(LOOPBACK, INSIDE)) {
            for (String scheme : new String[] {"http", "https"}) {
                String url = scheme + "://" + host + ":" + port + "/hook";
                String id = "refused-" + n++;
                assertRefused(createWebhook(id, url), url);
                assertThat(send("GET", "__ds/subscriptions/" + id, null, null).statusCode())
                        .as("not created, so nothing is ever delivered: " + url).isEqualTo(404);
            }
        }
    }

    @Test
    void theDevelopmentFlagAllowsLoopbackOnly() throws Exception {
        int port = receiver.getAddress().getPort();
        int n = 0;
        for (String host : LOOPBACK) {
            String url = "http://" + host + ":" + port + "/hook";
            assertThat(createWebhook("local-" + n++, url).statusCode()).as(url).isEqualTo(201);
        }
        for (String host : INSIDE) {
            String url = "https://" + host + ":" + port + "/hook";
            assertRefused(createWebhook("inside-" + n++, url), url);
        }
    }

    @Test
    void aPullWakeSubscriptionNeedsItsWakeStream() throws Exception {
        HttpResponse<String> r = send("PUT", "__ds/subscriptions/pw", "{\"type\":\"pull-wake\",\"pattern\":\"t/*\",\"wake_stream\":\"wake/none\"}", null);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(r.body()).get("detail").asText()).contains("wake/none");
        assertThat(send("GET", "__ds/subscriptions/pw", null, null).statusCode()).isEqualTo(404);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
