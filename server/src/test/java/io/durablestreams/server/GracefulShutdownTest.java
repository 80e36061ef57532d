package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.store.file.FileStorage;
import io.durablestreams.store.file.FileStoreConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A graceful shutdown under concurrent appends loses nothing that was acknowledged. */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedAppendIsThereAfterARestart() throws Exception {
        EngineConfig engine = EngineConfig.defaults();
        DurableStreamsServer server = new DurableStreamsServer(ServerConfig.defaults().withPort(0).withEngine(engine),
                new StreamEngine(engine, new FileStorage(FileStoreConfig.defaults(dir)), System::currentTimeMillis,
                        new SplittableRandom(6))).start();
        HttpClient http = HttpClient.newHttpClient();
        String url = server.url() + "/v1/stream/s";
        http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        CountDownLatch someAcked = new CountDownLatch(50);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                for (int i = 0; ; i++) {
                    String record = "<" + writer + ":" + i + ">";
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "text/plain")
                                .POST(HttpRequest.BodyPublishers.ofString(record)).build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 204) {
                            return;
                        }
                        acknowledged.add(record);
                        someAcked.countDown();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.start();
            writers.add(t);
        }
        someAcked.await();
        server.close();
        for (Thread t : writers) {
            t.join();
        }

        FileStorage reopened = new FileStorage(FileStoreConfig.defaults(dir));
        RecoveredStream s = reopened.recover().get(0);
        StringBuilder stored = new StringBuilder();
        for (ByteBuffer b : s.log().read(s.log().base(), s.log().tail())) {
            stored.append(StandardCharsets.UTF_8.decode(b));
        }
        reopened.close();
        assertThat(acknowledged).isNotEmpty();
        for (String record : acknowledged) {
            assertThat(stored.toString()).contains(record);
        }
    }
}
