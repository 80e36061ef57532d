package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.memory.MemoryStorage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real Netty server on port 0, exercised with the JDK's HTTP client and raw sockets. */
class ServerHttpTest {
    private DurableStreamsServer server;
    private HttpClient http;
    private String root;

    @BeforeEach
    void start() throws Exception {
        EngineConfig engine = EngineConfig.defaults().withLongPollTimeoutMillis(5_000).withMaxAppendBytes(64 * 1024);
        ServerConfig config = ServerConfig.defaults().withPort(0).withEngine(engine);
        server = new DurableStreamsServer(config,
                new StreamEngine(engine, new MemoryStorage(), System::currentTimeMillis, new SplittableRandom(1))).start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        root = server.url() + "/v1/stream/";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void createAppendReadOverHttp() throws Exception {
        HttpResponse<String> created = send("PUT", "chat/1", "text/plain", "hello");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("location")).hasValue(root + "chat/1");
        assertThat(send("POST", "chat/1", "text/plain", " world").statusCode()).isEqualTo(204);
        HttpResponse<String> read = send("GET", "chat/1?offset=-1", null, null);
        assertThat(read.body()).isEqualTo("hello world");
        assertThat(read.headers().firstValue("stream-up-to-date")).hasValue("true");
        assertThat(read.headers().firstValue("etag")).isPresent();
    }

    @Test
    void everyResponseCarriesSecurityAndCorsHeaders() throws Exception {
        for (HttpResponse<String> r : List.of(send("GET", "missing?offset=-1", null, null),
                send("PUT", "s", "text/plain", null), send("HEAD", "s", null, null))) {
            assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("cross-origin-resource-policy")).hasValue("cross-origin");
            assertThat(r.headers().firstValue("access-control-expose-headers").orElseThrow())
                    .contains("stream-next-offset", "stream-sse-data-encoding", "producer-expected-seq", "etag", "location", "retry-after");
        }
        HttpResponse<String> missing = send("GET", "missing?offset=-1", null, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("content-type")).hasValue("application/problem+json");
    }

    @Test
    void preflightAllowsEveryProtocolRequestHeader() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(root + "s"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("access-control-allow-headers").orElseThrow())
                .contains("if-none-match", "producer-id", "stream-fork-sub-offset", "stream-closed");
    }

    @Test
    void oversizedBodiesGet413AndChunkedBodiesAreAccepted() throws Exception {
        send("PUT", "big", "application/octet-stream", null);
        HttpResponse<String> tooBig = send("POST", "big", "application/octet-stream", "x".repeat(64 * 1024 + 1));
        assertThat(tooBig.statusCode()).isEqualTo(413);
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(root + "big"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[10_000])))
                .build();
        assertThat(http.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(root + "big?offset=-1")).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).hasSize(10_000);
    }

    @Test
    void oneAppendWakesManyLongPollsOnSeparateConnections() throws Exception {
        send("PUT", "live", "text/plain", null);
        String tail = send("GET", "live?offset=-1", null, null).headers().firstValue("stream-next-offset").orElseThrow();
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            HttpClient own = HttpClient.newHttpClient();
            polls.add(own.sendAsync(HttpRequest.newBuilder(URI.create(root + "live?live=long-poll&offset=" + tail)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        // append only once every poll is parked, so each one is answered by the wake-up, not at once
        while (server.engine().parkedReaders() < polls.size()) {
            Thread.onSpinWait();
        }
        assertThat(send("POST", "live", "text/plain", "ping").statusCode()).isEqualTo(204);
        for (CompletableFuture<HttpResponse<String>> p : polls) {
            HttpResponse<String> r = p.get(10, TimeUnit.SECONDS);
            if (r.statusCode() == 200) {
                assertThat(r.body()).isEqualTo("ping");
            } else {
                fail(r);
            }
        }
    }

    private static void fail(HttpResponse<String> r) {
        throw new AssertionError("unexpected " + r.statusCode() + " " + r.body());
    }

    @Test
    void sseStreamsDataAndControlEventsUntilClosed() throws Exception {
        send("PUT", "events", "application/json", "[{\"n\":1}]");
        HttpResponse<InputStream> sse = http.send(HttpRequest.newBuilder(URI.create(root + "events?offset=-1&live=sse")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(sse.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(sse.headers().firstValue("x-accel-buffering")).hasValue("no");
        assertThat(sse.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        send("POST", "events", "application/json", "{\"n\":2}");
        HttpRequest close = HttpRequest.newBuilder(URI.create(root + "events")).header("Stream-Closed", "true")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        assertThat(http.send(close, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        }
        String all = String.join("\n", lines);
        assertThat(all).contains("data:[{\"n\":1}]").contains("data:[{\"n\":2}]").contains("\"streamClosed\":true");
        assertThat(all.indexOf("data:[{\"n\":2}]")).isLessThan(all.indexOf("streamClosed"));
    }

    @Test
    void malformedUrlsAndHeadersGet4xxNever5xx() throws Exception {
        send("PUT", "s", "text/plain", "x");
        for (String raw : List.of(
                "GET /v1/stream/%zz HTTP/1.1",
                "GET /v1/stream/s?offset=%ZZ HTTP/1.1",
                "GET /v1/stream/%C3%28?offset=-1 HTTP/1.1",
                "GET /v1/stream/s?offset=../../etc/passwd HTTP/1.1",
                "GET /v1/stream/ HTTP/1.1",
                "PATCH /v1/stream/s HTTP/1.1",
                "GET /elsewhere HTTP/1.1")) {
            int status = rawStatus(raw + "\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(status).as(raw).isBetween(400, 499);
        }
    }

    private int rawStatus(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }
}
