package io.durablestreams.engine;

import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.durablestreams.engine.store.ControlStore;
import io.durablestreams.engine.store.DataNotLoaded;
import io.durablestreams.engine.store.StorageConflict;
import io.durablestreams.engine.store.StorageException;
import io.durablestreams.engine.store.StreamStorage;
import io.durablestreams.engine.store.memory.MemoryControlStore;
import io.durablestreams.engine.subscriptions.StreamDirectory;
import io.durablestreams.engine.subscriptions.SubscriptionManager;
import io.durablestreams.engine.subscriptions.WebhookOptions;
import io.durablestreams.protocol.Cursor;
import io.durablestreams.protocol.ProtocolHeaders;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The Durable Streams protocol over an abstract request/response model (PROTOCOL.md §4, §5,
 * §8–§10). One instance serves every stream; it is thread-safe and never blocks: an operation
 * that waits (an append becoming durable, a long-poll) completes its future later.
 */
public final class StreamEngine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StreamEngine.class.getName());
    private final EngineConfig config;
    private final StreamStorage storage;
    private final StreamRegistry registry;
    /** The store that is the truth for every stream when nodes share it; null for a local store. */
    private final io.durablestreams.engine.store.SharedStreams shared;
    private final SharedLoader loader;
    private final LongSupplier clock;
    private final CreateHandler create;
    private final AppendHandler append;
    private final ReadHandler read;
    private final SubscriptionManager subscriptions;
    private final StreamListing listing;
    private volatile String publicRoot = "http://127.0.0.1:4437/v1/stream/";
    private final java.util.concurrent.ScheduledExecutorService sweeper;
    /** Retention of a store this process owns; null for a shared store (the store applies retention itself). */
    private final RetentionSweep retention;

    public StreamEngine(EngineConfig config, StreamStorage storage, LongSupplier clockMillis, RandomGenerator random) {
        this(config, storage, new MemoryControlStore(), clockMillis, random);
    }

    /** An engine that delivers no webhooks (see {@link WebhookOptions#none()}). */
    public StreamEngine(EngineConfig config, StreamStorage storage, ControlStore control, LongSupplier clockMillis,
                        RandomGenerator random) {
        this(config, storage, control, WebhookOptions.none(), clockMillis, random);
    }

    /**
     * @param control  durable records of the control plane (subscriptions, signing keys)
     * @param webhooks how subscription webhooks are delivered; the engine closes its transport
     */
    public StreamEngine(EngineConfig config, StreamStorage storage, ControlStore control, WebhookOptions webhooks,
                        LongSupplier clockMillis, RandomGenerator random) {
        this.config = config;
        this.storage = storage;
        this.clock = clockMillis;
        this.shared = storage.shared();
        this.registry = new StreamRegistry(clockMillis, shared);
        registry.restore(storage.recover());
        this.loader = shared == null ? null : new SharedLoader(shared, registry, config);
        this.subscriptions = new SubscriptionManager(control, new Directory(), clockMillis, () -> publicRoot, webhooks);
        this.retention = shared == null ? new RetentionSweep(registry, clockMillis, config.retentionIntervalMillis()) : null;
        this.create = new CreateHandler(registry, storage, config, clockMillis, subscriptions::streamChanged);
        this.append = new AppendHandler(registry, clockMillis, subscriptions::streamChanged, shared,
                retention == null ? s -> {} : retention::snapshotted);
        this.read = new ReadHandler(config, registry, clockMillis, new Cursor(clockMillis, random));
        this.listing = new StreamListing(registry, shared, loader);
        this.sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ds-expiry-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweepExpired, config.sweepIntervalMillis(), config.sweepIntervalMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        if (shared != null) {
            // a shared store applies retention itself, in SQL on its own threads; this thread only starts the rounds
            sweeper.scheduleWithFixedDelay(() -> sweepRetention().exceptionally(e -> {
                LOG.log(System.Logger.Level.WARNING, "retention round failed; the next one tries again: " + e);
                return 0L;
            }), config.retentionIntervalMillis(), config.retentionIntervalMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    public EngineConfig config() {
        return config;
    }

    /**
     * Handles one request. The future never completes exceptionally for protocol errors: those
     * become 4xx responses. It completes exceptionally only for storage failures.
     */
    public CompletableFuture<Response> handle(Request request) {
        Request decoded;
        try {
            decoded = new Request(request.method(), Names.decodePath(request.stream()), request.query(),
                    request.headers(), request.body(), request.baseUrl(), request.live(), request.readScope());
            validateName(decoded.stream());
        } catch (Problem p) {
            return CompletableFuture.completedFuture(p.response());
        } catch (RuntimeException e) {
            return internalError(request, e);
        }
        return dispatch(decoded);
    }

    /** How often one request is run again because a shared store changed under it before it applied anything. */
    static final int MAX_ATTEMPTS = 8;

    private CompletableFuture<Response> dispatch(Request request) {
        return dispatch(request, 0);
    }

    /**
     * Runs one request; with a shared store, first loads what it touches as committed now. A
     * problem thrown while the request waited becomes its response; a {@link StorageConflict}
     * (the shared store changed under the request, nothing applied) runs it again.
     */
    private CompletableFuture<Response> dispatch(Request request, int attempt) {
        CompletableFuture<Response> out;
        if (loader != null && !SubscriptionManager.isReserved(request.stream())) {
            Executor executor = request.live() != null ? request.live().executor() : Runnable::run;
            CompletableFuture<Void> loaded = loader.load(request, attempt > 0);
            out = loaded.isDone() && !loaded.isCompletedExceptionally() ? run(request, attempt)
                    : loaded.thenComposeAsync(v -> run(request, attempt), executor);
        } else {
            out = run(request, attempt);
        }
        if (out.isDone() && !out.isCompletedExceptionally()) {
            return out;
        }
        return out.exceptionallyCompose(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof Problem p) {
                return CompletableFuture.completedFuture(p.response());
            }
            if (cause instanceof StorageConflict && attempt < MAX_ATTEMPTS) {
                return dispatch(request, attempt + 1);
            }
            if (cause instanceof StorageConflict) {
                return CompletableFuture.completedFuture(new Problem(503, "contended", "Stream contended",
                        "the stream changed under the request too often; retry").with("retry-after", "1").response());
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /**
     * Runs one request. A stream that is not ready (being created or deleted, or its log loading)
     * throws {@link NotReady} before anything changed; the request then runs again, on its own
     * executor, once the stream may be ready — no thread waits meanwhile. So does a read whose data
     * a shared store has not loaded into memory ({@link DataNotLoaded}).
     */
    private CompletableFuture<Response> run(Request request, int attempt) {
        try {
            if (StreamListing.addresses(request.stream())) {
                return listing.handle(request);
            }
            if (SubscriptionManager.isReserved(request.stream())) {
                return subscriptions.handle(request);
            }
            return switch (request.method()) {
                case "PUT" -> create.handle(request);
                case "POST" -> append.handle(request);
                case "GET" -> read.handle(request);
                case "HEAD" -> CompletableFuture.completedFuture(head(request));
                case "DELETE" -> delete(request);
                default -> CompletableFuture.completedFuture(new Problem(405, "method-not-allowed",
                        "Method not allowed", request.method() + " is not a stream operation").response()
                        .header("allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS"));
            };
        } catch (NotReady n) {
            Executor executor = request.live() != null ? request.live().executor() : Runnable::run;
            return n.until.thenComposeAsync(v -> dispatch(request, attempt), executor);
        } catch (DataNotLoaded n) {
            Executor executor = request.live() != null ? request.live().executor() : Runnable::run;
            if (attempt >= MAX_ATTEMPTS) {
                return CompletableFuture.failedFuture(new StorageConflict("the data of the read kept leaving the cache"));
            }
            return n.until.thenComposeAsync(v -> dispatch(request, attempt + 1), executor);
        } catch (Problem p) {
            return CompletableFuture.completedFuture(p.response());
        } catch (StorageException e) {
            // nothing was stored and no state changed; the binding answers 507 or 500
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            return internalError(request, e);
        }
    }

    /** A defect, not bad input: the client still gets an answer (never a dropped connection), and the stack trace is logged. */
    private static CompletableFuture<Response> internalError(Request request, RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "unexpected failure in " + request.method() + " of stream "
                + Problem.clip(request.stream()), e);
        return CompletableFuture.completedFuture(new Problem(500, "internal-error", "Internal server error",
                "the server failed to handle the request").response());
    }

    private void validateName(String name) {
        if (name.isEmpty()) {
            throw Problem.badRequest("invalid-stream-name", "stream name is empty");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > config.maxStreamNameBytes()) {
            throw Problem.badRequest("invalid-stream-name",
                    "stream name longer than " + config.maxStreamNameBytes() + " bytes");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw Problem.badRequest("invalid-stream-name", "stream name contains a control character");
            }
        }
    }

    private Response head(Request request) {
        StreamState s = registry.require(request.stream());
        Response r = Incarnations.tag(new Response(200), s)
                .header(ProtocolHeaders.CONTENT_TYPE, s.contentType)
                .header(ProtocolHeaders.STREAM_NEXT_OFFSET, s.offsetOf(s.visibleTail).toString())
                .header(ProtocolHeaders.CACHE_CONTROL, "no-store");
        if (s.ttlSeconds != null) {
            r.header(ProtocolHeaders.STREAM_TTL, s.ttlSeconds.toString());
        }
        if (s.expiresAtText != null) {
            r.header(ProtocolHeaders.STREAM_EXPIRES_AT, s.expiresAtText);
        }
        if (s.closeVisible) {
            r.header(ProtocolHeaders.STREAM_CLOSED, "true");
        }
        return Retention.describe(r, s);
    }

    /** Answered once the deletion is durable. */
    private CompletableFuture<Response> delete(Request request) {
        StreamState s = registry.require(request.stream());
        Incarnations.checkPrecondition(s, request.header(ProtocolHeaders.STREAM_INCARNATION));
        return registry.delete(s).thenApply(v -> new Response(204));
    }

    /**
     * Starts a graceful shutdown: live reads end (long-polls answer 204, SSE responses end) and
     * new live reads end at once. Appends still complete; see {@link #awaitPendingWrites}.
     */
    public void beginShutdown() {
        registry.beginShutdown();
    }

    /** Waits until no storage operation (append, creation, deletion) is in flight, or the timeout passes; returns whether idle. */
    public boolean awaitPendingWrites(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (registry.pendingWrites() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Live reads (long-poll and SSE) parked waiting for data. Walks every stream: diagnostics only. */
    public int parkedReaders() {
        return registry.parkedReaders();
    }

    /**
     * Sets the stream root as clients reach it (e.g. {@code https://streams.example.com/v1/stream/}),
     * used in URLs the server sends on its own: webhook callback and JWKS URLs.
     */
    public void setPublicRoot(String root) {
        this.publicRoot = root.endsWith("/") ? root : root + "/";
    }

    /** Generates a new webhook signing key; the old public keys stay published. Returns its kid. */
    public String rotateWebhookSigningKey() {
        return subscriptions.rotateSigningKey();
    }

    /** The engine's view of streams for subscriptions. */
    private final class Directory implements StreamDirectory {
        @Override
        public Tail tail(String name) {
            if (loader != null) {
                loader.loadNow(name); // the subscription thread may wait; the database is the truth
            }
            StreamState s = registry.current(name);
            if (s == null) {
                return null;
            }
            long tail = s.visibleTail;
            return new Tail(s.incarnation, tail, s.offsetOf(tail).toString());
        }

        @Override
        public java.util.List<String> names() {
            if (shared != null) {
                return shared.names().join();
            }
            return registry.names();
        }

        @Override
        public CompletableFuture<Boolean> appendJson(String name, String json) {
            java.util.Map<String, String> headers = java.util.Map.of(ProtocolHeaders.CONTENT_TYPE, "application/json");
            Request req = new Request("POST", name, java.util.Map.of(), headers::get,
                    json.getBytes(StandardCharsets.UTF_8), publicRoot, null);
            return handle(req).thenApply(r -> r.status() / 100 == 2);
        }
    }

    /** Expires and reclaims every stream past its TTL or Expires-At now; returns how many. */
    public int sweepExpired() {
        try {
            if (shared != null) {
                registry.sweep();
                return shared.sweepExpired(clock.getAsLong()).join();
            }
            return registry.sweep();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "expiry sweep failed", e);
            return 0;
        }
    }

    /**
     * Runs one retention round now (docs/extensions/retention.md): frees the space below the starts
     * of the previous round, then moves starts as the policies allow. Completes with the bytes
     * freed. Rounds also run every {@link EngineConfig#retentionIntervalMillis()}.
     */
    public CompletableFuture<Long> sweepRetention() {
        if (retention == null) {
            return shared.sweepRetention(clock.getAsLong(), config.retentionIntervalMillis());
        }
        return retention.runRound();
    }

    /** Calls {@code listener} with the number of bytes every time retention freed stored data. */
    public void onReclaimed(java.util.function.LongConsumer listener) {
        if (retention != null) {
            retention.onReclaimed(listener);
        } else {
            shared.onReclaimed(listener);
        }
    }

    /** See {@link StreamStorage#onSync}. */
    public void onStorageSync(java.util.function.LongConsumer listener) {
        storage.onSync(listener);
    }

    /** See {@link StreamStorage#available}. */
    public boolean storageAvailable() {
        return storage.available();
    }

    /** See {@link StreamStorage#storedBytes}. */
    public long storedBytes() {
        return storage.storedBytes();
    }

    /** Number of streams known, soft-deleted ones included. */
    public int streamCount() {
        return registry.size();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        if (retention != null) {
            retention.close();
        }
        subscriptions.close();
        storage.close();
    }
}
