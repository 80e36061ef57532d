package io.durablestreams.servlet;

import io.durablestreams.engine.StreamEngine;
import io.durablestreams.server.common.BrowserHeaders;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the Durable Streams protocol under the path it is mapped to (e.g. {@code /v1/stream/*}):
 * the stream name is the raw request path below the servlet's path. It only translates between
 * servlet types and the engine's HTTP-neutral request and response ({@link Exchange}).
 *
 * <p>Every request is asynchronous ({@code startAsync}) with non-blocking I/O: bodies are read with
 * a {@code ReadListener} and written with a {@code WriteListener}, so a long-poll, an SSE response or
 * a slow client holds no thread. The engine's callbacks and timers run on a small pool of this
 * servlet ({@code ds-servlet-N}, one thread per core), each exchange's tasks one at a time.
 *
 * <p>The host owns the engine: the servlet neither starts nor closes it. Must be registered with
 * async support ({@code asyncSupported=true}).
 */
public final class DurableStreamsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient StreamEngine engine;
    private final transient ServletOptions options;
    private final transient BrowserHeaders browserHeaders;
    private final transient ScheduledThreadPoolExecutor pool;

    public DurableStreamsServlet(StreamEngine engine, ServletOptions options) {
        this.engine = engine;
        this.options = options;
        this.browserHeaders = new BrowserHeaders(options.allowedOrigin());
        this.pool = new ScheduledThreadPoolExecutor(Runtime.getRuntime().availableProcessors(), threads());
        pool.setRemoveOnCancelPolicy(true); // long-poll timers are mostly cancelled; don't keep them queued
    }

    private static ThreadFactory threads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "ds-servlet-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) {
        new Exchange(engine, options, browserHeaders, pool, req, res).start();
    }

    @Override
    public void destroy() {
        pool.shutdown();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
