package io.durablestreams.cli;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.server.DurableStreamsServer;
import io.durablestreams.server.ServerConfig;
import io.durablestreams.server.auth.AuthConfig;
import java.util.random.RandomGenerator;

/** A real server on a free port with the in-memory store, for end-to-end CLI tests. */
final class TestServer implements AutoCloseable {
    private final DurableStreamsServer server;

    private TestServer(DurableStreamsServer server) {
        this.server = server;
    }

    static TestServer start() throws Exception {
        return start(null);
    }

    /** With {@code auth} non-null, every request needs a token it accepts. */
    static TestServer start(AuthConfig auth) throws Exception {
        EngineConfig engineConfig = EngineConfig.defaults();
        StreamEngine engine = new StreamEngine(engineConfig, new MemoryStorage(), System::currentTimeMillis,
                RandomGenerator.getDefault());
        ServerConfig config = ServerConfig.defaults().withPort(0).withEngine(engineConfig).withAuth(auth);
        return new TestServer(new DurableStreamsServer(config, engine).start());
    }

    /** The base URL, e.g. {@code http://127.0.0.1:40123}. */
    String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }
}
