package io.durablestreams.store.postgres;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.http.LiveContext;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.durablestreams.engine.subscriptions.WebhookOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/** One stateless node for tests: an engine over the PostgreSQL store, driven with engine requests (no HTTP). */
final class Node implements AutoCloseable, LiveContext {
    final PostgresStorage storage;
    final StreamEngine engine;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private boolean closed;

    Node(String url) {
        this(url, EngineConfig.defaults());
    }

    Node(String url, EngineConfig config) {
        this(url, config, WebhookOptions.none());
    }

    /** A node that delivers webhooks through {@code webhooks} (a test transport). */
    Node(String url, WebhookOptions webhooks) {
        this(url, EngineConfig.defaults(), webhooks);
    }

    Node(String url, EngineConfig config, WebhookOptions webhooks) {
        this(url, config, webhooks, Duration.ofSeconds(5));
    }

    /** @param connectTimeout how long a request waits for a connection, and for the control records' lock */
    Node(String url, EngineConfig config, WebhookOptions webhooks, Duration connectTimeout) {
        this(url, config, webhooks, connectTimeout, System::currentTimeMillis);
    }

    /** A node whose engine reads {@code clock} (retention by age, expiry). */
    Node(String url, EngineConfig config, java.util.function.LongSupplier clock) {
        this(url, config, WebhookOptions.none(), Duration.ofSeconds(5), clock);
    }

    private Node(String url, EngineConfig config, WebhookOptions webhooks, Duration connectTimeout, java.util.function.LongSupplier clock) {
        storage = PostgresStorage.open(new PostgresConfig(PostgresUrl.parse(url), 4, connectTimeout));
        engine = new StreamEngine(config, storage, storage.controlStore(), webhooks, clock, RandomGenerator.getDefault());
    }

    /** Waits until the node hears other nodes' changes (its notification connection is up). */
    Node awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!storage.available()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the node never connected its notification channel");
            }
            Thread.sleep(10);
        }
        return this;
    }

    Call call(String method, String stream) {
        return new Call(method, stream);
    }

    final class Call {
        private final String method;
        private final String stream;
        private final Map<String, String> headers = new HashMap<>();
        private final Map<String, List<String>> query = new HashMap<>();
        private byte[] body = new byte[0];

        Call(String method, String stream) {
            this.method = method;
            this.stream = stream;
        }

        Call header(String name, String value) {
            headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
            return this;
        }

        Call param(String name, String value) {
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        Call body(String text) {
            body = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        CompletableFuture<Response> future() {
            return engine.handle(new Request(method, stream, query, headers::get, body, "http://test.local/v1/stream/", Node.this));
        }

        Response send() {
            try {
                return future().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(method + " " + stream + " failed", e);
            }
        }
    }

    static String text(Response r) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuffer b : r.body()) {
            sb.append(StandardCharsets.UTF_8.decode(b.duplicate()));
        }
        return sb.toString();
    }

    @Override
    public java.util.concurrent.Executor executor() {
        return loop;
    }

    @Override
    public Runnable schedule(Runnable task, long delayMillis) {
        var f = loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    /** Stops the node (as a node that goes away); again is a no-op. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            engine.close();
            loop.shutdownNow();
        }
    }
}
