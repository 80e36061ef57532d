package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.store.file.ChannelOpener;
import io.durablestreams.store.file.FileStorage;
import io.durablestreams.store.file.FileStoreConfig;
import io.netty.util.NettyRuntime;
import io.netty.util.internal.SystemPropertyUtil;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event loops never wait for the disk: while the file store loads a stream's message index
 * (held here for as long as the test likes), requests on every event loop are answered.
 */
class SlowStorageHttpTest {
    @TempDir
    Path dir;
    private DurableStreamsServer server;
    private final Gate gate = new Gate();

    /** Opens files normally, except the held ones, whose opening waits until {@link #release()}. */
    private static final class Gate implements ChannelOpener {
        volatile Set<Path> held = Set.of();
        final CountDownLatch blocked = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        @Override
        public FileChannel open(Path path, OpenOption... options) throws IOException {
            if (held.contains(path)) {
                blocked.countDown();
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while held");
                }
            }
            return FileChannel.open(path, options);
        }

        void release() {
            released.countDown();
        }
    }

    private DurableStreamsServer start(FileStoreConfig store) throws Exception {
        EngineConfig engine = EngineConfig.defaults();
        return new DurableStreamsServer(ServerConfig.defaults().withPort(0).withEngine(engine),
                new StreamEngine(engine, new FileStorage(store), System::currentTimeMillis, new SplittableRandom(4))).start();
    }

    @AfterEach
    void stop() {
        gate.release();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyEventLoopAnswersWhileALargeStreamsIndexLoads() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        server = start(FileStoreConfig.defaults(dir));
        String big = server.url() + "/v1/stream/big";
        http.send(HttpRequest.newBuilder(URI.create(big)).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("0123456789")).build(), HttpResponse.BodyHandlers.discarding());
        server.close(); // clean shutdown: after the restart, the index of "big" loads on first use
        try (Stream<Path> files = Files.walk(dir.resolve("streams"))) {
            gate.held = files.filter(p -> p.toString().endsWith(".log")).collect(Collectors.toSet());
        }
        assertThat(gate.held).isNotEmpty();

        server = start(FileStoreConfig.defaults(dir).withOpener(gate));
        CompletableFuture<HttpResponse<String>> read = http.sendAsync(
                HttpRequest.newBuilder(URI.create(server.url() + "/v1/stream/big?offset=-1")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(gate.blocked.await(30, TimeUnit.SECONDS)).as("the index load started").isTrue(); // and stays held

        // connections are spread over the event loops in turn: this many reach every one of them
        int loops = SystemPropertyUtil.getInt("io.netty.eventLoopThreads", NettyRuntime.availableProcessors() * 2);
        for (int i = 0; i <= loops; i++) {
            assertThat(create("other-" + i)).as("connection %d", i).isEqualTo("HTTP/1.1 201 Created");
        }
        assertThat(read).isNotDone();

        gate.release();
        HttpResponse<String> r = read.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("0123456789");
    }

    /** On one new connection: creates a stream; returns the status line. */
    private String create(String name) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000); // a failure guard: an event loop held by the load would never answer
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /v1/stream/" + name + " HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 1\r\nConnection: close\r\n\r\nx").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return response.substring(0, response.indexOf("\r\n"));
        }
    }
}
