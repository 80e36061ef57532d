package io.durablestreams.engine.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.durablestreams.engine.store.ControlStore;
import io.durablestreams.engine.store.memory.MemoryControlStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link SubscriptionManager} over fake streams (tails set by the test, appends to wake streams
 * recorded), for tests of the subscription code without an engine.
 */
final class SubscriptionFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Streams by name; the test sets tails and whether appends succeed. */
    static final class Streams implements StreamDirectory {
        final Map<String, Tail> tails = new ConcurrentHashMap<>();
        final List<String> appended = new CopyOnWriteArrayList<>();
        final AtomicBoolean appendsSucceed = new AtomicBoolean(true);

        void put(String name, long incarnation, long position) {
            tails.put(name, new Tail(incarnation, position, String.format("%016d_%016d", incarnation, position)));
        }

        @Override
        public Tail tail(String name) {
            return tails.get(name);
        }

        @Override
        public List<String> names() {
            return List.copyOf(tails.keySet());
        }

        @Override
        public CompletableFuture<Boolean> appendJson(String name, String json) {
            boolean ok = appendsSucceed.get() && tails.containsKey(name);
            if (ok) {
                appended.add(json);
            }
            return CompletableFuture.completedFuture(ok);
        }

        int appendedCount() {
            return appended.size();
        }
    }

    final Streams streams = new Streams();
    final SubscriptionManager manager;

    SubscriptionFixture(WebhookOptions webhooks, HostResolver resolver) {
        this(new MemoryControlStore(), webhooks, resolver);
    }

    SubscriptionFixture(ControlStore control, WebhookOptions webhooks, HostResolver resolver) {
        manager = new SubscriptionManager(control, streams, System::currentTimeMillis,
                () -> "http://127.0.0.1:1/v1/stream/", webhooks, resolver);
    }

    Response call(String method, String path, String body) {
        Request req = new Request(method, path, Map.of(), h -> null, body.getBytes(StandardCharsets.UTF_8),
                "http://127.0.0.1:1/v1/stream/", null);
        return manager.handle(req).join();
    }

    /**
     * Waits until the subscription thread has run what was handed to it before, and what those
     * tasks handed on without waiting (a completed append's continuation): two round trips.
     */
    void settle() {
        call("GET", "__ds/jwks.json", "");
        call("GET", "__ds/jwks.json", "");
    }

    static JsonNode json(Response r) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuffer b : r.body()) {
            sb.append(StandardCharsets.UTF_8.decode(b.duplicate()));
        }
        try {
            return JSON.readTree(sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
