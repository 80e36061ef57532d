package io.durablestreams.servlet.jetty;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.ControlStore;
import io.durablestreams.engine.store.StreamStorage;
import io.durablestreams.engine.store.memory.MemoryControlStore;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.engine.subscriptions.WebhookOptions;
import io.durablestreams.server.webhooks.NettyWebhookTransport;
import io.durablestreams.servlet.ServletOptions;
import io.durablestreams.store.file.FileControlStore;
import io.durablestreams.store.file.FileStorage;
import io.durablestreams.store.file.FileStoreConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;

/**
 * Runs the servlet binding in embedded Jetty, for the conformance suite
 * ({@code scripts/server-conformance.sh servlet}) and trying it out. Prints
 * {@code listening on URL} once it serves.
 *
 * <pre>java -jar servlet-jetty/target/ds-servlet-jetty.jar [--host H] [--port P] [--store memory|file]
 *     [--data-dir DIR] [--long-poll-timeout-ms MS] [--allow-local-webhooks]</pre>
 */
public final class JettyRunner {
    private JettyRunner() {}

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 4437;
        String store = "memory";
        Path dataDir = Path.of("data");
        long longPollMillis = EngineConfig.DEFAULT_LONG_POLL_TIMEOUT_MILLIS;
        boolean allowLocalWebhooks = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--store" -> store = args[++i];
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--long-poll-timeout-ms" -> longPollMillis = Long.parseLong(args[++i]);
                case "--allow-local-webhooks" -> allowLocalWebhooks = true;
                default -> {
                    System.err.println("unknown option " + args[i] + "; see the JettyRunner class comment");
                    System.exit(1);
                }
            }
        }
        StreamStorage storage;
        ControlStore control;
        switch (store) {
            case "memory" -> {
                storage = new MemoryStorage();
                control = new MemoryControlStore();
            }
            case "file" -> {
                storage = new FileStorage(FileStoreConfig.defaults(dataDir));
                control = new FileControlStore(dataDir);
            }
            default -> throw new IllegalArgumentException("--store must be memory or file, got " + store);
        }
        StreamEngine engine = new StreamEngine(EngineConfig.defaults().withLongPollTimeoutMillis(longPollMillis), storage, control,
                new WebhookOptions(new NettyWebhookTransport(), allowLocalWebhooks), System::currentTimeMillis,
                RandomGenerator.getDefault());
        JettyServlet server = JettyServlet.start(engine, ServletOptions.defaults(), host, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.beginShutdown();
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("stopping Jetty: " + e);
            }
            engine.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("listening on " + server.url());
        System.out.flush();
        stopped.await();
    }
}
