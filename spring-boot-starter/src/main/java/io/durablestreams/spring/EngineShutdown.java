package io.durablestreams.spring;

import io.durablestreams.engine.StreamEngine;
import org.springframework.context.SmartLifecycle;

/**
 * Ends live reads (long-polls answer, SSE responses end) before the web server stops, so its
 * graceful shutdown is not held up by readers that would wait for data; appends in flight are
 * given time to become durable. Stopped first (the highest phase); the engine and its store are
 * closed when the context destroys the engine bean.
 */
final class EngineShutdown implements SmartLifecycle {
    /** How long appends in flight may take to become durable: {@value} ms. */
    static final long GRACE_MILLIS = 10_000;

    private final StreamEngine engine;
    private volatile boolean running;

    EngineShutdown(StreamEngine engine) {
        this.engine = engine;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        engine.beginShutdown();
        try {
            engine.awaitPendingWrites(GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
