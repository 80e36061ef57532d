package io.durablestreams.engine;

import io.durablestreams.engine.http.LiveContext;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.durablestreams.engine.store.memory.MemoryStorage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives a {@link StreamEngine} over the in-memory store with a manual clock and a manual timer:
 * live reads run inline, and timers fire only when the test advances time. Close it: the engine
 * owns a sweeper thread.
 */
final class EngineHarness implements LiveContext, AutoCloseable {
    final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    final StreamEngine engine;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSeq;

    private record Timer(long due, long seq, Runnable task, boolean[] cancelled) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }
    }

    EngineHarness() {
        this(EngineConfig.defaults().withLongPollTimeoutMillis(1000));
    }

    EngineHarness(EngineConfig config) {
        this(config, new MemoryStorage());
    }

    EngineHarness(EngineConfig config, io.durablestreams.engine.store.StreamStorage storage) {
        engine = new StreamEngine(config, storage, now::get, new SplittableRandom(7));
    }

    @Override
    public void close() {
        engine.close();
    }

    @Override
    public Executor executor() {
        return Runnable::run;
    }

    @Override
    public Runnable schedule(Runnable task, long delayMillis) {
        boolean[] cancelled = {false};
        timers.add(new Timer(now.get() + delayMillis, timerSeq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Advances the clock, firing due timers in order. */
    void advance(long millis) {
        long target = now.get() + millis;
        while (!timers.isEmpty() && timers.peek().due() <= target) {
            Timer t = timers.poll();
            now.set(Math.max(now.get(), t.due()));
            if (!t.cancelled()[0]) {
                t.task().run();
            }
        }
        now.set(target);
    }

    Call call(String method, String stream) {
        return new Call(method, stream);
    }

    final class Call {
        private final String method;
        private final String stream;
        private final Map<String, String> headers = new HashMap<>();
        private final Map<String, List<String>> query = new LinkedHashMap<>();
        private byte[] body = new byte[0];
        private io.durablestreams.engine.http.ReadScope readScope = io.durablestreams.engine.http.ReadScope.ALL;

        Call(String method, String stream) {
            this.method = method;
            this.stream = stream;
        }

        Call header(String name, String value) {
            headers.put(name.toLowerCase(), value);
            return this;
        }

        Call param(String name, String value) {
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        /** What the caller may read, as a binding's authorization would say. */
        Call readScope(io.durablestreams.engine.http.ReadScope scope) {
            readScope = scope;
            return this;
        }

        Call body(String text) {
            body = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        Call body(byte[] bytes) {
            body = bytes;
            return this;
        }

        Response send() {
            var f = future();
            if (!f.isDone()) {
                throw new AssertionError(method + " " + stream + " did not complete");
            }
            return f.join();
        }

        java.util.concurrent.CompletableFuture<Response> future() {
            return engine.handle(new Request(method, stream, query, headers::get, body,
                    "http://test.local/v1/stream/", EngineHarness.this, readScope));
        }
    }

    static String text(Response r) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuffer b : r.body()) {
            sb.append(StandardCharsets.UTF_8.decode(b.duplicate()));
        }
        return sb.toString();
    }

    static byte[] bytes(Response r) {
        return ChainReader.bytes(r.body());
    }
}
