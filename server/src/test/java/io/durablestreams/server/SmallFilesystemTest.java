package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.server.common.StorageFailure;
import io.durablestreams.store.file.FileStorage;
import io.durablestreams.store.file.FileStoreConfig;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the file store on a 4 MiB tmpfs. Appends fail with 507, nothing acknowledged
 * is lost or damaged, reads keep working, and appends work again once space is freed. Needs
 * permission to mount (root); skipped otherwise.
 */
class SmallFilesystemTest {
    @TempDir
    Path mountPoint;
    private boolean mounted;
    private DurableStreamsServer server;

    @BeforeEach
    void mount() throws Exception {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint.toString())
                .redirectErrorStream(true).start();
        mounted = p.waitFor() == 0;
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (needs root)");
    }

    @AfterEach
    void unmount() throws Exception {
        if (server != null) {
            server.close();
        }
        if (mounted) {
            new ProcessBuilder("umount", mountPoint.toString()).start().waitFor();
        }
    }

    @Test
    void aFullDiskAnswers507KeepsAcknowledgedDataAndRecoversWhenSpaceReturns() throws Exception {
        Path filler = mountPoint.resolve("filler");
        Files.write(filler, new byte[1024 * 1024]);
        Path data = Files.createDirectory(mountPoint.resolve("data"));
        EngineConfig engine = EngineConfig.defaults();
        server = new DurableStreamsServer(ServerConfig.defaults().withPort(0).withEngine(engine),
                new StreamEngine(engine, new FileStorage(FileStoreConfig.defaults(data)), System::currentTimeMillis,
                        new SplittableRandom(4))).start();
        HttpClient http = HttpClient.newHttpClient();
        String url = server.url() + "/v1/stream/fill";
        http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

        ByteArrayOutputStream acknowledged = new ByteArrayOutputStream();
        HttpResponse<String> full = null;
        for (int i = 0; i < 64 && full == null; i++) {
            byte[] chunk = new byte[128 * 1024];
            Arrays.fill(chunk, (byte) i);
            HttpResponse<String> r = append(http, url, chunk);
            if (r.statusCode() == 204) {
                acknowledged.write(chunk);
            } else {
                full = r;
            }
        }
        assertThat(full).as("the disk filled up").isNotNull();
        assertThat(full.statusCode()).isEqualTo(507);
        assertThat(full.body()).contains("insufficient-storage");
        assertThat(read(http, url)).as("reads keep working and show exactly the acknowledged data")
                .isEqualTo(acknowledged.toByteArray());

        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        List<Logger> loggers = List.of(Logger.getLogger(StorageFailure.class.getName()),
                Logger.getLogger("io.durablestreams.store.file.FileStreamLog"));
        loggers.forEach(l -> l.addHandler(capture));
        long started = System.currentTimeMillis();
        try {
            for (int i = 0; i < 20; i++) {
                assertThat(append(http, url, new byte[128 * 1024]).statusCode()).isEqualTo(507);
            }
        } finally {
            loggers.forEach(l -> l.removeHandler(capture));
        }
        long windows = 1 + (System.currentTimeMillis() - started) / StorageFailure.LOG_INTERVAL_MILLIS;
        assertThat(logged).as("a full disk is logged as single lines, throttled").hasSizeLessThanOrEqualTo((int) windows)
                .allSatisfy(r -> {
                    assertThat(r.getThrown()).as("no stack trace").isNull();
                    assertThat(r.getMessage()).doesNotContain("\n");
                });

        Files.delete(filler);
        byte[] after = "space is back".getBytes();
        assertThat(append(http, url, after).statusCode()).isEqualTo(204);
        acknowledged.write(after);
        assertThat(read(http, url)).isEqualTo(acknowledged.toByteArray());
    }

    private static HttpResponse<String> append(HttpClient http, String url, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] read(HttpClient http, String url) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String offset = "-1";
        for (int i = 0; i < 100; i++) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url + "?offset=" + offset)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            out.write(r.body());
            offset = r.headers().firstValue("stream-next-offset").orElseThrow();
            if (r.headers().firstValue("stream-up-to-date").isPresent()) {
                break;
            }
        }
        return out.toByteArray();
    }
}
