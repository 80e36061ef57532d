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
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conditional appends (docs/extensions/conditional-appends.md) over real HTTP on the local
 * stores: {@code If-Match} with the tail the writer saw appends only at that tail, and writers
 * doing read-modify-write through it lose no update.
 */
class ConditionalAppendsHttpTest {
    @TempDir
    Path dir;
    private DurableStreamsServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private String start(String store) throws Exception {
        EngineConfig engine = EngineConfig.defaults();
        StreamStorage storage = store.equals("file") ? new FileStorage(FileStoreConfig.defaults(dir)) : new MemoryStorage();
        server = new DurableStreamsServer(ServerConfig.defaults().withPort(0).withEngine(engine),
                new StreamEngine(engine, storage, System::currentTimeMillis, new SplittableRandom(3))).start();
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
        if (body != null) {
            b.header("Content-Type", "text/plain");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String tail(HttpResponse<?> r) {
        return r.headers().firstValue("stream-next-offset").orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void anAppendLandsOnlyAtTheTailItNames(String store) throws Exception {
        String url = start(store) + "s";
        String empty = tail(send("PUT", url, null, "Content-Type", "text/plain"));
        HttpResponse<String> first = send("POST", url, "a", "If-Match", "\"" + empty + "\"");
        assertThat(first.statusCode()).isEqualTo(204);

        HttpResponse<String> stale = send("POST", url, "b", "If-Match", "\"" + empty + "\"");
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(stale.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(stale.body()).contains("\"type\":\"tail-moved\"");
        assertThat(tail(stale)).isEqualTo(tail(first));
        assertThat(send("GET", url + "?offset=-1", null).body()).isEqualTo("a");

        assertThat(send("POST", url, "b", "If-Match", tail(first)).statusCode()).isEqualTo(204); // bare offset too
        assertThat(send("POST", url, "c", "If-Match", "*").statusCode()).isEqualTo(204);
        assertThat(send("POST", url, "d", "If-Match", "nonsense").statusCode()).isEqualTo(400);
        assertThat(send("POST", url, "d", "If-Match", "\"" + tail(first) + "\"", "Producer-Id", "p", "Producer-Epoch", "0",
                "Producer-Seq", "0").statusCode()).isEqualTo(400);
        assertThat(send("HEAD", url, null).headers().firstValue("stream-next-offset")).isPresent();

        String now = tail(send("HEAD", url, null));
        assertThat(send("POST", url, null, "Stream-Closed", "true", "If-Match", "\"" + tail(first) + "\"").statusCode()).isEqualTo(412);
        assertThat(send("HEAD", url, null).headers().firstValue("stream-closed")).isEmpty();
        assertThat(send("POST", url, null, "Stream-Closed", "true", "If-Match", "\"" + now + "\"").statusCode()).isEqualTo(204);
        // repeating the close at the same tail is fine; an append is refused as closed
        assertThat(send("POST", url, null, "Stream-Closed", "true", "If-Match", "\"" + now + "\"").statusCode()).isEqualTo(204);
        assertThat(send("POST", url, "e", "If-Match", "\"" + now + "\"").statusCode()).isEqualTo(409);
        assertThat(send("GET", url + "?offset=-1", null).body()).isEqualTo("abc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void anOffsetOfAnEarlierIncarnationMatchesNoTail(String store) throws Exception {
        String url = start(store) + "s";
        String before = tail(send("PUT", url, null, "Content-Type", "text/plain"));
        assertThat(send("DELETE", url, null).statusCode()).isEqualTo(204);
        send("PUT", url, null, "Content-Type", "text/plain");
        HttpResponse<String> r = send("POST", url, "x", "If-Match", "\"" + before + "\"");
        assertThat(r.statusCode()).isEqualTo(412);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void readModifyWriteWritersLoseNoUpdate(String store) throws Exception {
        String url = start(store) + "counter";
        send("PUT", url, null, "Content-Type", "text/plain");
        int writers = 4;
        int increments = 15;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> conflicts = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                conflicts.add(pool.submit((Callable<Integer>) () -> increment(url, increments)));
            }
            for (Future<Integer> f : conflicts) {
                f.get();
            }
            String[] lines = send("GET", url + "?offset=-1", null).body().split("\n");
            assertThat(lines).hasSize(writers * increments);
            for (int i = 0; i < lines.length; i++) {
                assertThat(lines[i]).isEqualTo(Integer.toString(i + 1)); // every append saw the one before it
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads the counter (the last line) and appends its successor at the tail read; returns the 412s met. */
    private int increment(String url, int times) throws Exception {
        int refused = 0;
        for (int done = 0; done < times; ) {
            HttpResponse<String> read = send("GET", url + "?offset=-1", null);
            String body = read.body();
            int last = body.isEmpty() ? 0 : Integer.parseInt(body.substring(body.lastIndexOf('\n', body.length() - 2) + 1).trim());
            HttpResponse<String> r = send("POST", url, (last + 1) + "\n", "If-Match", "\"" + tail(read) + "\"");
            if (r.statusCode() == 204) {
                done++;
            } else {
                assertThat(r.statusCode()).isEqualTo(412);
                refused++;
            }
        }
        return refused;
    }
}
