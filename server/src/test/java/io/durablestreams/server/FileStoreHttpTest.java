package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.store.file.FileStorage;
import io.durablestreams.store.file.FileStoreConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catch-up reads over the file store: sent with zero copy (sendfile) on plain HTTP/1.1, read into
 * memory for gzip and for HTTP/2 — the same bytes every way.
 */
class FileStoreHttpTest {
    @TempDir
    Path dir;
    private DurableStreamsServer server;

    private void start(ServerConfig config) throws Exception {
        EngineConfig engine = EngineConfig.defaults().withReadChunkBytes(256 * 1024);
        server = new DurableStreamsServer(config.withPort(0).withEngine(engine), new StreamEngine(engine,
                new FileStorage(FileStoreConfig.defaults(dir)), System::currentTimeMillis, new SplittableRandom(2))).start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private byte[] write(HttpClient http, String url) throws Exception {
        byte[] all = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(all);
        http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        int chunk = 700_000;
        for (int at = 0; at < all.length; at += chunk) {
            byte[] part = java.util.Arrays.copyOfRange(all, at, Math.min(all.length, at + chunk));
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(part)).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(r.statusCode()).isEqualTo(204);
        }
        return all;
    }

    private byte[] readAll(HttpClient http, String url, boolean gzip) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String offset = "-1";
        for (int i = 0; i < 100; i++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "?offset=" + offset));
            if (gzip) {
                b.header("Accept-Encoding", "gzip");
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            byte[] body = r.body();
            if (r.headers().firstValue("content-encoding").isPresent()) {
                body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
            }
            out.write(body);
            offset = r.headers().firstValue("stream-next-offset").orElseThrow();
            if (r.headers().firstValue("stream-up-to-date").isPresent()) {
                return out.toByteArray();
            }
        }
        throw new AssertionError("did not reach the tail");
    }

    @Test
    void plainHttpGzipAndHttp2AllReturnTheStoredBytes() throws Exception {
        start(ServerConfig.defaults().withH2c(true));
        HttpClient h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String url = server.url() + "/v1/stream/big";
        byte[] all = write(h1, url);
        assertThat(readAll(h1, url, false)).as("zero-copy over HTTP/1.1").isEqualTo(all);
        assertThat(readAll(h1, url, true)).as("gzip").isEqualTo(all);
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        assertThat(readAll(h2, url, false)).as("h2c").isEqualTo(all);
        String metrics = h1.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metricValue(metrics, "ds_store_bytes")).isEqualTo(all.length);
        assertThat(metrics).contains("ds_fsync_seconds_count");
        // the plain read sent its large chunks by sendfile (runs under 64 KiB are read into memory)
        assertThat(metricValue(metrics, "ds_read_sendfile_bytes_total")).as("HTTP/1.1 reads used sendfile")
                .isBetween(all.length - 64.0 * 1024, (double) all.length);
    }

    private static double metricValue(String exposition, String name) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name);
    }
}
