package io.durablestreams.servlet;

import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.http.LiveContext;
import io.durablestreams.engine.http.ReadScope;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.durablestreams.protocol.ProtocolHeaders;
import io.durablestreams.server.auth.StreamAccess;
import io.durablestreams.server.common.BrowserHeaders;
import io.durablestreams.server.common.Operations;
import io.durablestreams.server.common.ProblemBody;
import io.durablestreams.server.common.QueryString;
import io.durablestreams.server.common.ServerMetrics;
import io.durablestreams.server.common.StorageFailure;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request and its response. {@link #start()} runs on the container's thread: it starts async
 * processing, checks authorization, and reads the body (non-blocking) or calls the engine at once.
 * Everything after the engine answered runs on this exchange's {@link SerialExecutor}, which is
 * also the engine's {@link LiveContext} for long-polls and SSE sessions.
 */
final class Exchange implements AsyncListener, AsyncOutput.Listener {
    private final StreamEngine engine;
    private final ServletOptions options;
    private final BrowserHeaders browserHeaders;
    private final ScheduledExecutorService pool;
    private final HttpServletRequest req;
    private final HttpServletResponse res;
    private final SerialExecutor serial;
    private final long startNanos = System.nanoTime();
    private final String method;
    private AsyncContext async;
    private String operation;
    private AtomicInteger liveGauge;
    private long requestBytes;
    private AsyncOutput output;
    private ServletSseSink sse;
    private boolean completed;

    Exchange(StreamEngine engine, ServletOptions options, BrowserHeaders browserHeaders, ScheduledExecutorService pool,
             HttpServletRequest req, HttpServletResponse res) {
        this.engine = engine;
        this.options = options;
        this.browserHeaders = browserHeaders;
        this.pool = pool;
        this.req = req;
        this.res = res;
        this.serial = new SerialExecutor(pool);
        this.method = req.getMethod().toUpperCase(Locale.ROOT);
    }

    /** The request as the shared authorization rule sees it. */
    private record Target(HttpServletRequest req) implements StreamAccess.Target {
        @Override
        public String method() {
            return req.getMethod().toUpperCase(Locale.ROOT);
        }

        @Override
        public String header(String lowerCaseName) {
            return req.getHeader(lowerCaseName);
        }
    }

    void start() {
        async = req.startAsync();
        async.setTimeout(0); // the engine ends long-polls and SSE responses itself
        async.addListener(this);
        String root = req.getContextPath() + req.getServletPath() + "/";
        String uri = req.getRequestURI();
        String query = req.getQueryString();
        countOpened(root, uri, query);
        if (method.equals("OPTIONS")) {
            res.setStatus(204);
            browserHeaders.preflight(req.getHeader("access-control-request-headers")).forEach(res::setHeader);
            send(List.of());
            return;
        }
        if (!uri.startsWith(root) || uri.length() == root.length()) {
            problem(404, "not-found", "no stream name after " + root, null);
            return;
        }
        String rawStream = uri.substring(root.length());
        ReadScope scope = ReadScope.ALL;
        if (options.grants() != null) {
            StreamAccess.Access access = new StreamAccess(root).check(new Target(req), rawStream,
                    t -> options.grants().resolve(t.req()));
            if (!access.allowed()) {
                StreamAccess.Denial denial = access.denial();
                res.setHeader("www-authenticate", denial.challenge());
                problem(denial.status(), denial.type(), denial.detail(), null);
                return;
            }
            scope = access.scope();
        }
        ReadScope readScope = scope;
        Map<String, List<String>> params;
        try {
            params = QueryString.decode(query);
        } catch (IllegalArgumentException e) {
            problem(400, "invalid-url-encoding", "the request URL is not valid", null);
            return;
        }
        Map<String, String> headers = headers(req);
        String baseUrl = (options.publicBaseUrl() != null ? options.publicBaseUrl() : origin()) + root;
        long declared = req.getContentLengthLong();
        int max = engine.config().maxAppendBytes();
        if (declared > max) {
            problem(413, "payload-too-large", "request body exceeds " + max + " bytes", null);
            return;
        }
        if (declared == 0 || (declared < 0 && req.getHeader("transfer-encoding") == null)) {
            dispatch(new Request(method, rawStream, params, headers::get, new byte[0], baseUrl, live(), readScope));
            return;
        }
        try {
            req.getInputStream().setReadListener(new BodyReader(req.getInputStream(), max, declared, new BodyReader.Outcome() {
                @Override
                public void complete(byte[] body) {
                    requestBytes = body.length;
                    dispatch(new Request(method, rawStream, params, headers::get, body, baseUrl, live(), readScope));
                }

                @Override
                public void tooLarge() {
                    serial.execute(() -> problem(413, "payload-too-large", "request body exceeds " + max + " bytes", null));
                }

                @Override
                public void failed(Throwable error) {
                    serial.execute(() -> finish());
                }
            }));
        } catch (IOException e) {
            finish();
        }
    }

    private void countOpened(String root, String uri, String query) {
        ServerMetrics metrics = options.metrics();
        if (metrics == null) {
            return;
        }
        operation = Operations.of(method, query == null ? uri : uri + "?" + query, root,
                req.getHeader(ProtocolHeaders.STREAM_CLOSED), req::getContentLengthLong);
        metrics.exchangeOpened();
        liveGauge = metrics.live(operation);
        if (liveGauge != null) {
            liveGauge.incrementAndGet();
        }
    }

    /** Header lookup by lower-case name, copied once: the engine may read headers after the container recycled the request. */
    private static Map<String, String> headers(HttpServletRequest req) {
        Map<String, String> out = new HashMap<>();
        for (Enumeration<String> names = req.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            out.putIfAbsent(name.toLowerCase(Locale.ROOT), req.getHeader(name));
        }
        return out;
    }

    private String origin() {
        String host = req.getHeader("host");
        if (host == null || host.isBlank()) {
            host = req.getServerName() + ":" + req.getServerPort();
        }
        return req.getScheme() + "://" + host;
    }

    private LiveContext live() {
        return new LiveContext() {
            @Override
            public Executor executor() {
                return serial;
            }

            @Override
            public Runnable schedule(Runnable task, long delayMillis) {
                var f = pool.schedule(() -> serial.execute(task), delayMillis, TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }
        };
    }

    private void dispatch(Request request) {
        var future = engine.handle(request);
        future.whenComplete((response, err) -> serial.execute(() -> respond(response,
                err instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : err)));
    }

    private void respond(Response response, Throwable err) {
        if (err != null) {
            StorageFailure failure = StorageFailure.report(err);
            problem(failure.status(), failure.type(), failure.detail(),
                    failure.retryAfterSeconds() > 0 ? Integer.toString(failure.retryAfterSeconds()) : null);
            return;
        }
        res.setStatus(response.status());
        response.headers().forEach(res::setHeader);
        if (response.sse() != null) {
            applyBrowserHeaders();
            output = new AsyncOutput(outputStream(), serial, this);
            sse = new ServletSseSink(output, this::finish);
            output.start();
            response.sse().start(sse);
            return;
        }
        if (method.equals("HEAD")) {
            send(List.of());
            return;
        }
        if (response.status() != 204 && response.status() != 304) {
            res.setContentLengthLong(response.bodyLength());
        }
        send(response.body());
    }

    private void problem(int status, String type, String detail, String retryAfter) {
        res.setStatus(status);
        res.setHeader("content-type", ProblemBody.CONTENT_TYPE);
        if (retryAfter != null) {
            res.setHeader("retry-after", retryAfter);
        }
        byte[] body = ProblemBody.json(status, type, detail).getBytes(StandardCharsets.UTF_8);
        res.setContentLength(body.length);
        send(List.of(ByteBuffer.wrap(body)));
    }

    /** Writes a whole body without blocking, then completes the exchange. */
    private void send(List<ByteBuffer> body) {
        applyBrowserHeaders();
        output = new AsyncOutput(outputStream(), serial, this);
        body.forEach(output::enqueue);
        output.start();
    }

    private jakarta.servlet.ServletOutputStream outputStream() {
        try {
            return res.getOutputStream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void applyBrowserHeaders() {
        browserHeaders.always().forEach(res::setHeader);
        if (browserHeaders.varyOrigin()) {
            res.addHeader("vary", "origin");
        }
    }

    @Override
    public void drained() {
        if (sse != null) {
            sse.drained();
        } else {
            finish();
        }
    }

    @Override
    public void failed(Throwable error) {
        if (sse != null) {
            sse.closedByPeer();
        }
        finish();
    }

    /** Ends the exchange once; the container then completes the response. Runs on the serial executor. */
    private void finish() {
        if (!completed) {
            completed = true;
            async.complete();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        ServerMetrics metrics = options.metrics();
        if (metrics == null) {
            return;
        }
        metrics.exchangeClosed();
        if (liveGauge != null) {
            liveGauge.decrementAndGet();
        }
        metrics.completed(operation, method, res.getStatus(), System.nanoTime() - startNanos, requestBytes,
                output == null ? 0 : output.writtenBytes());
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        serial.execute(this::finish);
    }

    @Override
    public void onError(AsyncEvent event) {
        serial.execute(() -> failed(event.getThrowable()));
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
