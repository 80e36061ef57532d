package io.durablestreams.cli;

import io.durablestreams.console.ConsoleAssets;
import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.ControlStore;
import io.durablestreams.engine.store.StreamStorage;
import io.durablestreams.engine.store.memory.MemoryControlStore;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.engine.subscriptions.WebhookOptions;
import io.durablestreams.server.DurableStreamsServer;
import io.durablestreams.server.ServerConfig;
import io.durablestreams.server.webhooks.NettyWebhookTransport;
import io.durablestreams.store.file.DataDirectoryException;
import io.durablestreams.store.file.FileControlStore;
import io.durablestreams.store.file.FileStorage;
import io.durablestreams.store.file.FileStoreConfig;
import io.durablestreams.store.file.FsyncPolicy;
import io.durablestreams.store.postgres.PostgresConfig;
import io.durablestreams.store.postgres.PostgresStorage;
import io.durablestreams.store.postgres.PostgresUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ds serve}: runs the server until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the Durable Streams server. Streams live under /v1/stream/.")
final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    enum Store { memory, file, postgres }

    enum Fsync { always, interval }

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "4437", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--store", defaultValue = "file", description = "Storage backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Store store;

    @Option(names = "--data-dir", defaultValue = "./data", description = "Directory of the file store (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--postgres-url", paramLabel = "URL", description = "Database of the postgres store: "
            + "postgresql://USER@HOST:PORT/DB[?PARAMS]; required with --store postgres.")
    String postgresUrl;

    @Option(names = "--postgres-password-file", paramLabel = "FILE", description = "Password for --postgres-url, "
            + "read from this file (surrounding whitespace removed); overrides a password in the URL.")
    Path postgresPasswordFile;

    @Option(names = "--postgres-pool-size", defaultValue = "" + PostgresConfig.DEFAULT_POOL_SIZE,
            description = "Database connections of the postgres store, at least 2 (default: ${DEFAULT-VALUE}).")
    int postgresPoolSize;

    @Option(names = "--fsync", defaultValue = "always", description = "When appends are acknowledged: always = after fdatasync, "
            + "interval = before it, syncing every --fsync-interval (an OS crash may lose that window) (default: ${DEFAULT-VALUE}).")
    Fsync fsync;

    @Option(names = "--fsync-interval", defaultValue = "10ms", description = "Sync period under --fsync interval (default: ${DEFAULT-VALUE}).")
    Duration fsyncInterval;

    @Option(names = "--segment-bytes", defaultValue = "" + FileStoreConfig.DEFAULT_SEGMENT_BYTES, description = "File store: a stream's "
            + "data file rolls to a new segment at this size; retention frees whole segments (default: ${DEFAULT-VALUE}).")
    long segmentBytes;

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

    @Option(names = "--retention-age", paramLabel = "DURATION", converter = CreateCommand.TtlConverter.class,
            description = "Retention by age of streams whose PUT names none: keep what was appended in the last seconds, or 90s, 15m, 24h, 7d (docs/extensions/retention.md; default: none).")
    Long retentionAge;

    @Option(names = "--retention-interval", defaultValue = "10s", description = "How often retention moves streams' "
            + "starts and frees what lies below them (default: ${DEFAULT-VALUE}).")
    Duration retentionInterval;

    @Option(names = "--retention-bytes", paramLabel = "BYTES",
            description = "Retention by size of streams whose PUT names none: keep about the last BYTES bytes (default: none).")
    Long retentionBytes;

    @Option(names = "--cors-origin", defaultValue = "*", description = "Access-Control-Allow-Origin value (default: ${DEFAULT-VALUE}).")
    String corsOrigin;

    @Option(names = "--public-url", description = "Base URL clients use to reach this server, e.g. https://streams.example.com (default: the request's Host).")
    String publicUrl;

    @Option(names = "--tls-cert", description = "PEM certificate chain: serve HTTPS (HTTP/2 and HTTP/1.1 via ALPN). Needs --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM private key of --tls-cert: PKCS#8, or PKCS#1 for RSA.")
    Path tlsKey;

    @Option(names = "--h2c", description = "Also accept cleartext HTTP/2 (prior knowledge or Upgrade: h2c).")
    boolean h2c;

    @Option(names = "--compression-threshold", defaultValue = "" + ServerConfig.DEFAULT_COMPRESSION_THRESHOLD_BYTES,
            description = "gzip catch-up bodies at least this many bytes when the client accepts gzip; 0 disables (default: ${DEFAULT-VALUE}).")
    int compressionThreshold;

    @Option(names = "--auth-token", paramLabel = "TOKEN:read=PREFIX|...:write=PREFIX|...",
            description = "Accept this bearer token with read/write access to streams whose names start with a prefix (* = all). Repeatable.")
    List<String> authTokens = new ArrayList<>();

    @Option(names = "--jwt-hs256-secret-file", description = "Accept HS256 JWTs signed with the secret in this file (>= 32 bytes); grants come from the ds_read/ds_write claims.")
    Path jwtSecretFile;

    @Option(names = "--jwt-rs256-public-key", description = "Accept RS256 JWTs verified with this PEM public key; grants come from the ds_read/ds_write claims.")
    Path jwtPublicKey;

    @Option(names = "--metrics-token", description = "Bearer token /metrics requires (default: with authentication on, "
            + "any accepted token or JWT; without authentication, /metrics is open).")
    String metricsToken;

    @Option(names = "--rate-limit", description = "Requests per second allowed per client address; more get 429 with Retry-After (default: no limit).")
    Double rateLimit;

    @Option(names = "--rate-limit-burst", description = "Requests a client may send at once before --rate-limit applies (default: one second's worth).")
    Integer rateLimitBurst;

    @Option(names = "--header-timeout", defaultValue = "10s", description = "The whole request head must arrive within this "
            + "(from the connection's start or the request's first byte); slower clients get 408 and are disconnected (default: ${DEFAULT-VALUE}).")
    Duration headerTimeout;

    @Option(names = "--idle-timeout", defaultValue = "65s", description = "Close a connection after this long without traffic, "
            + "unless a live read or another request is still being answered on it (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--max-connections", description = "Open connections allowed; more get 503 with Retry-After (default: "
            + "the open-file limit minus the store's --max-open-files minus 256, at least a quarter of the limit; 4096 if the limit is unknown).")
    Integer maxConnections;

    @Option(names = "--access-log", defaultValue = "off", description = "Access log on stdout: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    AccessLogFormat accessLog;

    @Option(names = "--shutdown-grace", defaultValue = "10s", description = "On SIGTERM, how long to wait for in-flight appends and live reads to finish (default: ${DEFAULT-VALUE}).")
    Duration shutdownGrace;

    @Option(names = "--immutable-start-urls", description = "Answer reads from the beginning with 307 to the stream incarnation's own first offset, "
            + "so complete chunks are cacheable as immutable (stream-incarnations extension).")
    boolean immutableStartUrls;

    @Option(names = "--rotate-webhook-key", description = "Generate a new webhook signing key at startup; old public keys stay in the JWKS.")
    boolean rotateWebhookKey;

    @Option(names = "--allow-local-webhooks", description = "Development only: allow subscription webhooks to localhost, "
            + "127.0.0.x and [::1], also over http. Without it, webhooks reach only public https addresses.")
    boolean allowLocalWebhooks;

    @Option(names = "--console", defaultValue = "on", description = "The web console at /console/ (it uses the same "
            + "tokens as the API): ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Switch console;

    enum Switch { on, off }

    @Option(names = "--test-faults", hidden = true, description = "Serve the fault-injection endpoint /_test/inject-error (tests only; never in production).")
    boolean testFaults;

    enum AccessLogFormat { off, text, json }

    @Override
    public Integer call() throws Exception {
        // everything that can be refused is checked before the store is opened (and recovered)
        ServerConfig config = serverConfig();
        PostgresConfig postgres = store == Store.postgres
                ? PostgresOptions.config(postgresUrl, postgresPasswordFile, postgresPoolSize) : null;
        StreamEngine engine = openEngine(config.engine(), postgres);
        DurableStreamsServer server = new DurableStreamsServer(config, engine);
        try {
            server.start();
        } catch (Exception e) {
            server.close();
            if (e instanceof IOException && !(e instanceof SSLException)) { // the bind; native transports throw their own type
                throw new CliException(ExitCode.UNAVAILABLE, "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Durable Streams server stopping (in-flight appends finish first, up to --shutdown-grace)");
            System.out.flush();
            server.close();
            System.out.println("Durable Streams server stopped");
            System.out.flush();
            stopped.countDown();
        }, "ds-shutdown"));
        System.out.println("Durable Streams server listening on " + server.url()
                + " (streams under " + server.url() + ServerConfig.DEFAULT_STREAM_ROOT + ", store: " + store + ")");
        if (config.console()) {
            System.out.println("Web console: " + server.url() + ConsoleAssets.ROOT);
        }
        System.out.flush();
        stopped.await();
        return 0;
    }

    private Long positive(Long value, String option) {
        if (value != null && value <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be at least 1");
        }
        return value;
    }

    private ServerConfig serverConfig() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        EngineConfig engineConfig = EngineConfig.defaults()
                .withLongPollTimeoutMillis(longPollTimeout.toMillis())
                .withSseReconnectMillis(sseReconnectInterval.toMillis())
                .withMaxAppendBytes(maxAppendBytes)
                .withReadChunkBytes(readChunkBytes)
                .withImmutableStartUrls(immutableStartUrls)
                .withDefaultRetention(retentionAge, positive(retentionBytes, "--retention-bytes"))
                .withRetentionIntervalMillis(positive(retentionInterval.toMillis(), "--retention-interval"));
        ServerConfig.Connections connections = new ServerConfig.Connections(headerTimeout.toMillis(), idleTimeout.toMillis(),
                maxConnections != null ? maxConnections
                        : ServerConfig.Connections.defaultMaxConnections(store == Store.file ? maxOpenFiles : 0));
        return new ServerConfig(host, port, ServerConfig.DEFAULT_STREAM_ROOT, corsOrigin,
                publicUrl == null ? null : publicUrl.replaceAll("/+$", ""), engineConfig)
                .withTls(tlsCert == null ? null : new ServerConfig.Tls(tlsCert, tlsKey))
                .withH2c(h2c)
                .withCompressionThresholdBytes(compressionThreshold)
                .withAuth(AuthOptions.config(authTokens, jwtSecretFile, jwtPublicKey, metricsToken))
                .withRateLimit(rateLimit == null ? null : new ServerConfig.RateLimit(rateLimit,
                        rateLimitBurst != null ? rateLimitBurst : (int) Math.max(1, Math.ceil(rateLimit))))
                .withAccessLog(ServerConfig.AccessLog.valueOf(accessLog.name().toUpperCase(Locale.ROOT)))
                .withShutdownGraceMillis(shutdownGrace.toMillis())
                .withConnections(connections)
                .withTestFaults(testFaults)
                .withConsole(console == Switch.on);
    }

    /**
     * Opens the store (recovering its streams) and the engine over it.
     *
     * @param postgres the database of the postgres store; null for the other stores
     * @throws CliException (I/O) when the data directory is in use by another process or unusable, or
     *                      the database cannot be reached
     */
    private StreamEngine openEngine(EngineConfig engineConfig, PostgresConfig postgres) {
        StreamStorage storage;
        try {
            storage = switch (store) {
                case memory -> new MemoryStorage();
                case file -> new FileStorage(FileStoreConfig.defaults(dataDir)
                        .withFsync(fsync == Fsync.always ? FsyncPolicy.ALWAYS : FsyncPolicy.INTERVAL, Math.max(1, fsyncInterval.toMillis()))
                        .withMaxOpenFiles(maxOpenFiles)
                        .withSegmentBytes(segmentBytes));
                case postgres -> PostgresStorage.open(postgres);
            };
        } catch (DataDirectoryException e) {
            throw new CliException(ExitCode.UNAVAILABLE, e.getMessage(), e);
        } catch (PostgresUnavailableException e) {
            throw postgresUnavailable(postgres, e);
        }
        try {
            ControlStore control = storage instanceof PostgresStorage pg ? pg.controlStore()
                    : store == Store.file ? new FileControlStore(dataDir) : new MemoryControlStore();
            StreamEngine engine = new StreamEngine(engineConfig, storage, control,
                    new WebhookOptions(new NettyWebhookTransport(), allowLocalWebhooks), System::currentTimeMillis, RandomGenerator.getDefault());
            if (rotateWebhookKey) {
                System.err.println("new webhook signing key: " + engine.rotateWebhookSigningKey());
            }
            return engine;
        } catch (RuntimeException e) {
            storage.close();
            // the engine reads its control records (subscriptions, keys) from the database too
            throw e instanceof PostgresUnavailableException unavailable ? postgresUnavailable(postgres, unavailable) : e;
        }
    }

    private static CliException postgresUnavailable(PostgresConfig postgres, PostgresUnavailableException e) {
        return new CliException(ExitCode.UNAVAILABLE, "cannot use PostgreSQL " + postgres.url() + ": " + e.getMessage(), e);
    }
}
