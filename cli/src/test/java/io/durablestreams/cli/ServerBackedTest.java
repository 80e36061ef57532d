package io.durablestreams.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Tests that run {@code ds} commands against one real server (memory store, port 0) per class. */
abstract class ServerBackedTest {
    static TestServer server;
    static Cli ds;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.start();
        ds = new Cli(server.url());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }
}
