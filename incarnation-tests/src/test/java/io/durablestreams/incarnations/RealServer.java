package io.durablestreams.incarnations;

import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamsClient;
import io.durablestreams.client.RetryPolicy;
import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.server.DurableStreamsServer;
import io.durablestreams.server.ServerConfig;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real server (Netty binding, memory store) on a free loopback port, with a clock the test can move
 * forward so that TTL expiry happens on demand instead of after a sleep. Timers of live reads
 * (long-poll timeout, SSE lifetime) run on real time and are unaffected.
 */
final class RealServer implements AutoCloseable {
    /** Short enough that a live reader re-polls several times during a test. */
    static final long LONG_POLL_TIMEOUT_MILLIS = 300;

    private final AtomicLong skewMillis = new AtomicLong();
    private final DurableStreamsServer server;
    final DurableStreamsClient client;

    RealServer() throws Exception {
        EngineConfig engine = EngineConfig.defaults().withLongPollTimeoutMillis(LONG_POLL_TIMEOUT_MILLIS);
        server = new DurableStreamsServer(ServerConfig.defaults().withPort(0).withEngine(engine),
                new StreamEngine(engine, new MemoryStorage(), () -> System.currentTimeMillis() + skewMillis.get(),
                        new SplittableRandom(7))).start();
        client = DurableStreamsClient.newBuilder().baseUrl(server.url() + ServerConfig.DEFAULT_STREAM_ROOT)
                .retryPolicy(RetryPolicy.newBuilder().maxRetries(2).initialDelayMs(1).maxDelayMs(10).build())
                .build();
    }

    DurableStream stream(String name) {
        return client.stream(name);
    }

    /** Moves the server's clock forward: streams whose TTL ran out are expired on their next access. */
    void advanceClock(long millis) {
        skewMillis.addAndGet(millis);
    }

    @Override
    public void close() {
        server.close();
    }
}
