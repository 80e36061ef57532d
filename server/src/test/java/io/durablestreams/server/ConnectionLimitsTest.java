package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.memory.MemoryStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Header and idle timeouts and the connection limit, against the real server on port 0 with
 * raw sockets and timeouts short enough for a test.
 */
class ConnectionLimitsTest {
    private static final String HEALTH = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    private DurableStreamsServer server;

    private void start(ServerConfig.Connections connections, long longPollMillis, long sseMillis) throws Exception {
        start(ServerConfig.defaults().withConnections(connections), longPollMillis, sseMillis);
    }

    private void start(ServerConfig config, long longPollMillis, long sseMillis) throws Exception {
        EngineConfig engine = EngineConfig.defaults().withLongPollTimeoutMillis(longPollMillis).withSseReconnectMillis(sseMillis);
        server = new DurableStreamsServer(config.withPort(0).withEngine(engine),
                new StreamEngine(engine, new MemoryStorage(), System::currentTimeMillis, new SplittableRandom(7))).start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSlowlorisHeadIsCutAfterTheHeaderTimeout() throws Exception {
        start(new ServerConfig.Connections(200, 60_000, 100), 1_000, 1_000);
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
            long start = System.nanoTime();
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) { // a header byte every 50 ms: never idle, never complete
                        c.send("X");
                        Thread.sleep(50);
                    }
                } catch (Exception closed) {
                    // the server cut the connection
                }
            });
            trickle.start();
            RawConnection.Response r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.headers()).containsEntry("content-type", "application/problem+json").containsEntry("connection", "close");
            assertThat(c.closedByServer()).isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
            trickle.interrupt();
            trickle.join();
        }
    }

    @Test
    void aConnectionThatSendsNothingIsCutAfterTheHeaderTimeout() throws Exception {
        start(new ServerConfig.Connections(200, 60_000, 100), 1_000, 1_000);
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.read().status()).isEqualTo(408);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        start(new ServerConfig.Connections(60_000, 200, 100), 1_000, 1_000);
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.send(HEALTH).read().status()).isEqualTo(200);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aStalledRequestBodyGets408AfterTheIdleTimeout() throws Exception {
        start(new ServerConfig.Connections(60_000, 200, 100), 1_000, 1_000);
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("PUT /v1/stream/s HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nabc");
            assertThat(c.read().status()).isEqualTo(408);
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(server.engine().streamCount()).isZero();
    }

    @Test
    void aLongPollLongerThanTheIdleTimeoutIsNotCut() throws Exception {
        start(new ServerConfig.Connections(60_000, 200, 100), 1_000, 1_000);
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.send("PUT /v1/stream/lp HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read().status()).isEqualTo(201);
            long start = System.nanoTime();
            RawConnection.Response poll = c.send("GET /v1/stream/lp?offset=now&live=long-poll HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(poll.status()).isEqualTo(204); // the long-poll timeout (1 s), not a cut at 200 ms
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(900);
            assertThat(c.send(HEALTH).read().status()).isEqualTo(200); // and the connection is still usable
        }
    }

    @Test
    void anSseResponseLongerThanTheIdleTimeoutIsNotCut() throws Exception {
        start(new ServerConfig.Connections(60_000, 200, 100), 1_000, 1_000);
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.send("PUT /v1/stream/sse HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read().status()).isEqualTo(201);
            RawConnection.Response sse = c.send("GET /v1/stream/sse?offset=now&live=sse HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(sse.status()).isEqualTo(200); // read() returns at the end of the chunked body: after the 1 s lifetime
            assertThat(sse.body()).contains("event: control");
            assertThat(c.send(HEALTH).read().status()).isEqualTo(200);
        }
    }

    @Test
    void anIdleHttp2ConnectionIsClosed() throws Exception {
        start(ServerConfig.defaults().withH2c(true).withConnections(new ServerConfig.Connections(200, 200, 100)), 1_000, 1_000);
        try (RawConnection c = new RawConnection(server.port())) {
            // prior knowledge: the connection preface and an empty SETTINGS frame, then nothing
            c.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + "\0\0\0\4\0\0\0\0\0");
            int bytes = 0;
            while (!c.closedByServer()) { // the server's SETTINGS, its ack of ours, then GOAWAY and the close
                bytes++;
            }
            assertThat(bytes).isPositive();
        }
    }

    @Test
    void anHttp2LongPollLongerThanTheIdleTimeoutIsNotCut() throws Exception {
        start(ServerConfig.defaults().withH2c(true).withConnections(new ServerConfig.Connections(200, 200, 100)), 1_000, 1_000);
        HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        String url = server.url() + "/v1/stream/h2";
        HttpResponse<String> created = h2c.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        HttpResponse<String> poll = h2c.send(HttpRequest.newBuilder(URI.create(url + "?offset=now&live=long-poll")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(poll.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(poll.statusCode()).isEqualTo(204);
    }

    @Test
    void connectionsOverTheLimitGet503WithRetryAfterAndAreClosed() throws Exception {
        start(new ServerConfig.Connections(60_000, 60_000, 2), 1_000, 1_000);
        try (RawConnection a = new RawConnection(server.port()); RawConnection b = new RawConnection(server.port())) {
            // answered requests prove the server has admitted both
            assertThat(a.send(HEALTH).read().status()).isEqualTo(200);
            assertThat(b.send(HEALTH).read().status()).isEqualTo(200);
            try (RawConnection c = new RawConnection(server.port())) {
                RawConnection.Response r = c.send(HEALTH).read();
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.headers()).containsEntry("retry-after", "1").containsEntry("content-type", "application/problem+json");
                assertThat(r.body()).contains("\"type\":\"overloaded\"");
                assertThat(c.closedByServer()).isTrue();
            }
            a.close();
            while (server.openConnections() > 1) {
                Thread.sleep(5);
            }
            try (RawConnection d = new RawConnection(server.port())) {
                assertThat(d.send(HEALTH).read().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void theDefaultLimitLeavesTheStoreItsFilesAndSomeHeadroom() {
        assertThat(ServerConfig.Connections.maxConnectionsFor(20_000, 1024)).isEqualTo(20_000 - 1024 - 256);
        assertThat(ServerConfig.Connections.maxConnectionsFor(1024, 1024)).isEqualTo(256); // a quarter, at least
        assertThat(ServerConfig.Connections.maxConnectionsFor(-1, 1024)).isEqualTo(4096); // unknown limit
    }
}
