package io.durablestreams.servlet.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.server.auth.Authenticator;
import io.durablestreams.server.auth.Grant;
import io.durablestreams.servlet.ServletOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The servlet binding over real HTTP in Jetty: the authorization hook, limits, SSE. */
class ServletHttpTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private StreamEngine engine;
    private JettyServlet server;

    @AfterEach
    void stop() throws Exception {
        server.close();
        engine.close();
    }

    private String start(ServletOptions options) throws Exception {
        engine = new StreamEngine(EngineConfig.defaults().withMaxAppendBytes(1000), new MemoryStorage(),
                System::currentTimeMillis, RandomGenerator.getDefault());
        server = JettyServlet.start(engine, options, "127.0.0.1", 0);
        return server.url() + JettyServlet.STREAM_PATH + "/";
    }

    private HttpResponse<String> send(String method, String url, String user, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("content-type", "text/plain")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("x-user", user);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theApplicationsGrantsDecideWhoReadsAndWrites() throws Exception {
        // the hook a host application plugs in: here a header names the user
        String root = start(ServletOptions.defaults().withGrants(request -> switch (String.valueOf(request.getHeader("x-user"))) {
            case "admin" -> new Grant("admin", List.of("*"), List.of("*"));
            case "reader" -> new Grant("reader", List.of("team/"), List.of());
            default -> throw new Authenticator.Rejected("authentication required", false);
        }));
        assertThat(send("PUT", root + "team/a", "admin", "x").statusCode()).isEqualTo(201);
        assertThat(send("GET", root + "team/a?offset=-1", "reader", null).body()).isEqualTo("x");
        HttpResponse<String> denied = send("POST", root + "team/a", "reader", "y");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(denied.body()).contains("does not grant write access to stream 'team/a'");
        HttpResponse<String> anonymous = send("GET", root + "team/a?offset=-1", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("www-authenticate").orElseThrow()).startsWith("Bearer realm=");
        assertThat(anonymous.headers().firstValue("access-control-allow-origin")).as("browser headers on errors too").hasValue("*");
    }

    @Test
    void oversizedBodiesAndMissingNamesGetClearClientErrors() throws Exception {
        String root = start(ServletOptions.defaults());
        assertThat(send("PUT", root + "s", null, null).statusCode()).isEqualTo(201);
        HttpResponse<String> big = send("POST", root + "s", null, "z".repeat(1001));
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.body()).contains("payload-too-large");
        assertThat(send("GET", root.substring(0, root.length() - 1), null, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", root + "s?offset=-1", null, null).body()).as("nothing of the refused body was stored").isEmpty();
    }

    @Test
    void sseDeliversAppendsAsTheyArrive() throws Exception {
        String root = start(ServletOptions.defaults());
        assertThat(send("PUT", root + "live", null, null).statusCode()).isEqualTo(201);
        HttpResponse<java.io.InputStream> sse = client.send(HttpRequest.newBuilder(URI.create(root + "live?offset=-1&live=sse")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(sse.headers().firstValue("content-type")).hasValue("text/event-stream");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("event: control");
            assertThat(send("POST", root + "live", null, "hello").statusCode()).isEqualTo(204);
            String line;
            do {
                line = lines.readLine();
            } while (line != null && !line.equals("event: data"));
            assertThat(lines.readLine()).isEqualTo("data:hello");
        }
    }
}
