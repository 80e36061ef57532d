package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.memory.MemoryControlStore;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.engine.subscriptions.WebhookOptions;
import io.durablestreams.server.auth.AuthConfig;
import io.durablestreams.server.auth.StaticToken;
import io.durablestreams.server.webhooks.NettyWebhookTransport;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listings under {@code __ds} over HTTP: scoped by the caller's read grant, and subscriptions' delivery state. */
class ListingHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private DurableStreamsServer server;

    private void start(AuthConfig auth) throws Exception {
        ServerConfig config = ServerConfig.defaults().withPort(0);
        server = new DurableStreamsServer(auth == null ? config : config.withAuth(auth),
                new StreamEngine(EngineConfig.defaults(), new MemoryStorage(), new MemoryControlStore(),
                        new WebhookOptions(new NettyWebhookTransport(), true), System::currentTimeMillis,
                        new SplittableRandom(9))).start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "/v1/stream/" + path))
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> listed(String path, String field, String token) throws Exception {
        HttpResponse<String> r = send("GET", path, null, token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        JSON.readTree(r.body()).get(path.startsWith("__ds/streams") ? "streams" : "subscriptions")
                .forEach(s -> out.add(s.get(field).asText()));
        return out;
    }

    @Test
    void aTokenListsOnlyTheStreamsAndSubscriptionsItsReadGrantCovers() throws Exception {
        start(new AuthConfig(List.of(StaticToken.parse("admin:read=*:write=*"),
                StaticToken.parse("team-a:read=team-a/|__ds/subscriptions/a-:write=team-a/"),
                StaticToken.parse("writer:write=*")), null, null));
        for (String name : List.of("team-a/1", "team-a/wake", "team-b/1", "public/1")) {
            assertThat(send("PUT", name, null, "admin").statusCode()).isEqualTo(201);
        }
        String pull = "{\"type\":\"pull-wake\",\"pattern\":\"team-a/*\",\"wake_stream\":\"team-a/wake\"}";
        assertThat(send("PUT", "__ds/subscriptions/a-1", pull, "admin").statusCode()).isEqualTo(201);
        assertThat(send("PUT", "__ds/subscriptions/b-1", pull, "admin").statusCode()).isEqualTo(201);

        assertThat(listed("__ds/streams", "name", "admin")).containsExactly("public/1", "team-a/1", "team-a/wake", "team-b/1");
        assertThat(listed("__ds/streams?prefix=team-", "name", "team-a")).containsExactly("team-a/1", "team-a/wake");
        assertThat(listed("__ds/streams", "name", "writer")).as("write grants show nothing").isEmpty();
        assertThat(listed("__ds/subscriptions", "id", "admin")).containsExactly("a-1", "b-1");
        assertThat(listed("__ds/subscriptions", "id", "team-a")).containsExactly("a-1");

        assertThat(send("GET", "__ds/streams", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "__ds/streams", null, "wrong").statusCode()).isEqualTo(401);
        assertThat(send("POST", "__ds/streams", null, "team-a").statusCode()).as("writing needs write on the name").isEqualTo(403);
        assertThat(send("GET", "__ds/streams?limit=0", null, "team-a").statusCode()).isEqualTo(400);
    }

    @Test
    void withoutAuthorizationEveryStreamIsListed() throws Exception {
        start(null);
        assertThat(send("PUT", "a%2Fb%20c", null, null).statusCode()).isEqualTo(201);
        assertThat(send("PUT", "x", null, null).statusCode()).isEqualTo(201);
        assertThat(listed("__ds/streams", "name", null)).containsExactly("a/b c", "x");
        assertThat(listed("__ds/streams?prefix=a%2Fb%20", "name", null)).containsExactly("a/b c");
    }

    @Test
    void theSubscriptionListShowsWakesAndTheLastDeliveryError() throws Exception {
        start(null);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens there once closed: deliveries fail
        }
        String hook = "{\"type\":\"webhook\",\"pattern\":\"jobs/*\",\"webhook\":{\"url\":\"http://127.0.0.1:" + closedPort + "/hook\"}}";
        assertThat(send("PUT", "__ds/subscriptions/hook", hook, null).statusCode()).isEqualTo(201);
        JsonNode idle = JSON.readTree(send("GET", "__ds/subscriptions", null, null).body()).get("subscriptions").get(0);
        assertThat(idle.get("wake").isNull()).isTrue();
        assertThat(idle.get("pending_streams").asInt()).isZero();
        assertThat(idle.get("last_error").isNull()).isTrue();

        assertThat(send("PUT", "jobs/1", "{\"n\":1}", null).statusCode()).isEqualTo(201);
        JsonNode failing = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            failing = JSON.readTree(send("GET", "__ds/subscriptions", null, null).body()).get("subscriptions").get(0);
            if (!failing.get("last_error").isNull()) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(failing.get("last_error").get("message").asText()).startsWith("webhook failed:");
        assertThat(failing.get("status").asText()).isEqualTo("failed");
        assertThat(failing.get("wake").get("wake_id").asText()).isNotEmpty();
        assertThat(failing.get("pending_streams").asInt()).isEqualTo(1);
        assertThat(failing.get("attempts").asInt()).isPositive();
        assertThat(failing.get("next_attempt_at").asText()).isNotEmpty();
    }
}
