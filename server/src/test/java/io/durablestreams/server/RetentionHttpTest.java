package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.StreamStorage;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.store.file.FileStorage;
import io.durablestreams.store.file.FileStoreConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retention (docs/extensions/retention.md) over real HTTP on the local stores: policies on PUT and
 * HEAD, 410 offset-reclaimed with Stream-Earliest-Offset (exposed to browsers), reads from -1, live
 * reads and forks at the boundary, and the reclaimed bytes in /metrics.
 */
class RetentionHttpTest {
    @TempDir
    Path dir;
    private DurableStreamsServer server;
    private StreamEngine engine;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private String start(String store) throws Exception {
        EngineConfig config = EngineConfig.defaults().withRetentionIntervalMillis(3_600_000);
        StreamStorage storage = store.equals("file")
                ? new FileStorage(FileStoreConfig.defaults(dir).withSegmentBytes(64)) : new MemoryStorage();
        engine = new StreamEngine(config, storage, System::currentTimeMillis, new SplittableRandom(3));
        server = new DurableStreamsServer(ServerConfig.defaults().withPort(0).withEngine(config), engine).start();
        return server.url() + "/v1/stream/";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> send(String method, String url, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !java.util.Arrays.asList(headers).contains("Content-Type")) {
            b.header("Content-Type", "text/plain");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void sizeRetentionOverHttp(String store) throws Exception {
        String root = start(store);
        String url = root + "s";
        HttpResponse<String> created = send("PUT", url, null, "Content-Type", "text/plain", "Stream-Retention-Bytes", "100");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(header(created, "stream-retention-bytes")).isEqualTo("100");
        String first = header(created, "stream-next-offset");
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            String rec = String.format("rec-%04d;\n", i);
            assertThat(send("POST", url, rec).statusCode()).isEqualTo(204);
            all.append(rec);
        }
        engine.sweepRetention().join();
        HttpResponse<String> head = send("HEAD", url, null);
        String earliest = header(head, "stream-earliest-offset");
        assertThat(earliest).endsWith("_0000000000000200");

        HttpResponse<String> gone = send("GET", url + "?offset=" + first, null);
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(gone.body()).contains("\"type\":\"offset-reclaimed\"");
        assertThat(header(gone, "stream-earliest-offset")).isEqualTo(earliest);
        assertThat(header(gone, "access-control-expose-headers")).contains("stream-earliest-offset");
        HttpResponse<String> longPoll = send("GET", url + "?offset=" + first + "&live=long-poll", null);
        assertThat(longPoll.statusCode()).isEqualTo(410);
        assertThat(send("GET", url + "?offset=" + first + "&live=sse", null).statusCode()).isEqualTo(410);

        // -1 starts at the earliest retained offset, and reads stay the same once the space is freed
        assertThat(send("GET", url + "?offset=-1", null).body()).isEqualTo(all.substring(200));
        assertThat(engine.sweepRetention().join()).isPositive();
        assertThat(send("GET", url + "?offset=-1", null).body()).isEqualTo(all.substring(200));
        assertThat(send("GET", url + "?offset=" + earliest, null).body()).isEqualTo(all.substring(200));
        assertThat(send("GET", server.url() + "/metrics", null).body()).contains("ds_retention_reclaimed_bytes_total");

        // forks before the earliest offset are refused; one at it reads the retained bytes
        assertThat(send("PUT", root + "early", null, "Stream-Forked-From", "/v1/stream/s", "Stream-Fork-Offset", first)
                .statusCode()).isEqualTo(410);
        assertThat(send("PUT", root + "f", null, "Stream-Forked-From", "/v1/stream/s").statusCode()).isEqualTo(201);
        assertThat(send("GET", root + "f?offset=-1", null).body()).isEqualTo(all.substring(200));

        // the policy is configuration: a PUT with another value conflicts, a bad value is a 400
        assertThat(send("PUT", url, null, "Content-Type", "text/plain", "Stream-Retention-Bytes", "200").statusCode()).isEqualTo(409);
        HttpResponse<String> bad = send("PUT", root + "bad", null, "Stream-Retention-Age", "-1");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("invalid-retention");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void aSnapshotStartsTheStreamOverHttp(String store) throws Exception {
        String url = start(store) + "snap";
        String first = header(send("PUT", url, null, "Content-Type", "application/json"), "stream-next-offset");
        send("POST", url, "[1,2]", "Content-Type", "application/json");
        HttpResponse<String> snap = send("POST", url, "{\"state\":3}", "Content-Type", "application/json", "Stream-Snapshot", "true");
        assertThat(snap.statusCode()).isEqualTo(204);
        send("POST", url, "4", "Content-Type", "application/json");
        assertThat(send("GET", url + "?offset=-1", null).body()).isEqualTo("[{\"state\":3},4]");
        assertThat(header(send("HEAD", url, null), "stream-earliest-offset")).isEqualTo(header(snap, "stream-earliest-offset"));
        assertThat(send("GET", url + "?offset=" + first, null).statusCode()).isEqualTo(410);
    }
}
