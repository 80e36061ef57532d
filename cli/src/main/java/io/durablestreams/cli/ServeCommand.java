package io.durablestreams.cli;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.StreamStorage;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.server.DurableStreamsServer;
import io.durablestreams.server.ServerConfig;
import io.durablestreams.store.file.FileStorage;
import io.durablestreams.store.file.FileStoreConfig;
import io.durablestreams.store.file.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ds serve}: runs the server until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the Durable Streams server. Streams live under /v1/stream/.")
final class ServeCommand implements Callable<Integer> {
    enum Store { memory, file }

    enum Fsync { always, interval }

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "4437", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--store", defaultValue = "file", description = "Storage backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Store store;

    @Option(names = "--data-dir", defaultValue = "./data", description = "Directory of the file store (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--fsync", defaultValue = "always", description = "When appends are acknowledged: always = after fdatasync, "
            + "interval = before it, syncing every --fsync-interval (an OS crash may lose that window) (default: ${DEFAULT-VALUE}).")
    Fsync fsync;

    @Option(names = "--fsync-interval", defaultValue = "10ms", description = "Sync period under --fsync interval (default: ${DEFAULT-VALUE}).")
    Duration fsyncInterval;

    @Option(names = "--max-open-files", defaultValue = "" + FileStoreConfig.DEFAULT_MAX_OPEN_FILES, description = "Open file handles the file store keeps (default: ${DEFAULT-VALUE}).")
    int maxOpenFiles;

    @Option(names = "--long-poll-timeout", defaultValue = "30s", description = "How long a long-poll waits for data (default: ${DEFAULT-VALUE}).")
    Duration longPollTimeout;

    @Option(names = "--sse-reconnect-interval", defaultValue = "60s", description = "Lifetime of an SSE response before clients reconnect (default: ${DEFAULT-VALUE}).")
    Duration sseReconnectInterval;

    @Option(names = "--max-append-bytes", defaultValue = "" + EngineConfig.DEFAULT_MAX_APPEND_BYTES, description = "Largest accepted request body; larger ones get 413 (default: ${DEFAULT-VALUE}).")
    int maxAppendBytes;

    @Option(names = "--read-chunk-bytes", defaultValue = "" + EngineConfig.DEFAULT_READ_CHUNK_BYTES, description = "Most bytes in one read response (default: ${DEFAULT-VALUE}).")
    int readChunkBytes;

    @Option(names = "--cors-origin", defaultValue = "*", description = "Access-Control-Allow-Origin value (default: ${DEFAULT-VALUE}).")
    String corsOrigin;

    @Option(names = "--public-url", description = "Base URL clients use to reach this server, e.g. https://streams.example.com (default: the request's Host).")
    String publicUrl;

    @Override
    public Integer call() throws Exception {
        EngineConfig engineConfig = EngineConfig.defaults()
                .withLongPollTimeoutMillis(longPollTimeout.toMillis())
                .withSseReconnectMillis(sseReconnectInterval.toMillis())
                .withMaxAppendBytes(maxAppendBytes)
                .withReadChunkBytes(readChunkBytes);
        StreamStorage storage = switch (store) {
            case memory -> new MemoryStorage();
            case file -> new FileStorage(FileStoreConfig.defaults(dataDir)
                    .withFsync(fsync == Fsync.always ? FsyncPolicy.ALWAYS : FsyncPolicy.INTERVAL, Math.max(1, fsyncInterval.toMillis()))
                    .withMaxOpenFiles(maxOpenFiles));
        };
        StreamEngine engine = new StreamEngine(engineConfig, storage, System::currentTimeMillis, RandomGenerator.getDefault());
        ServerConfig config = new ServerConfig(host, port, ServerConfig.DEFAULT_STREAM_ROOT, corsOrigin,
                publicUrl == null ? null : publicUrl.replaceAll("/+$", ""), engineConfig);
        DurableStreamsServer server = new DurableStreamsServer(config, engine).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "ds-shutdown"));
        System.out.println("Durable Streams server listening on " + server.url()
                + " (streams under " + server.url() + ServerConfig.DEFAULT_STREAM_ROOT + ", store: " + store + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
