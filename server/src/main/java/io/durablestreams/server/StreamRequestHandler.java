package io.durablestreams.server;

import io.durablestreams.console.ConsoleAssets;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.server.common.StorageFailure;
import io.durablestreams.engine.http.LiveContext;
import io.durablestreams.engine.http.ReadScope;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.durablestreams.engine.store.FileSlice;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Pipeline slot: last request handler. Turns each complete request into an engine
 * {@link Request}, writes the engine's {@link Response} (gzip-compressed when large and accepted),
 * runs SSE sessions on the channel, and serves what lies outside the stream root: the operational
 * endpoints {@code /healthz}, {@code /readyz} and {@code /metrics}, and the web console ({@link ConsoleAssets}).
 *
 * <p>While a response is pending (an append waiting for durability, a long-poll, an SSE stream)
 * the channel stops reading, so pipelined requests are answered in order and a slow client
 * cannot queue unbounded work.
 */
final class StreamRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final System.Logger LOG = System.getLogger(StreamRequestHandler.class.getName());
    /** Probes of load balancers and orchestrators; never rate-limited. */
    static final String HEALTH_PATH = "/healthz";
    static final String READY_PATH = "/readyz";

    private final StreamEngine engine;
    private final ServerConfig config;
    private final StandardHeaders standard;
    private final Supplier<String> metrics;
    private final BooleanSupplier shuttingDown;
    /** The web console's files, or null when it is off. */
    private final ConsoleAssets console;

    StreamRequestHandler(StreamEngine engine, ServerConfig config, StandardHeaders standard, Supplier<String> metrics,
                         BooleanSupplier shuttingDown, ConsoleAssets console) {
        this.engine = engine;
        this.console = console;
        this.config = config;
        this.standard = standard;
        this.metrics = metrics;
        this.shuttingDown = shuttingDown;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        boolean keepAlive = HttpUtil.isKeepAlive(msg) && !shuttingDown.getAsBoolean();
        QueryStringDecoder uri;
        String path;
        try {
            uri = new QueryStringDecoder(msg.uri(), StandardCharsets.UTF_8, true, 1024, true);
            path = uri.rawPath();
            uri.parameters();
        } catch (IllegalArgumentException e) {
            problem(ctx, keepAlive, 400, "invalid-url-encoding", "the request URL is not valid");
            return;
        }
        HttpMethod method = msg.method();
        if (method.equals(HttpMethod.OPTIONS)) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
            standard.preflight(r.headers(), msg.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS));
            Responses.send(ctx, standard, r, keepAlive);
            return;
        }
        if (console != null && ConsoleAssets.handles(path)) {
            console(ctx, msg, path, keepAlive);
            return;
        }
        if (!path.startsWith(config.streamRoot())) {
            operational(ctx, path, keepAlive);
            return;
        }
        if (path.length() == config.streamRoot().length()) {
            problem(ctx, keepAlive, 404, "not-found", "no stream name after " + config.streamRoot());
            return;
        }
        if (shuttingDown.getAsBoolean()) {
            FullHttpResponse r = Responses.problem(503, "shutting-down", "the server is shutting down; retry shortly");
            r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            Responses.send(ctx, standard, r, false);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(msg.content());
        HttpHeaders headers = msg.headers();
        Request request = new Request(method.name(), path.substring(config.streamRoot().length()),
                uri.parameters(), headers::get, body, baseUrl(msg), live(ctx), readScope(msg));
        boolean head = method.equals(HttpMethod.HEAD);
        boolean gzip = config.compressionThresholdBytes() > 0 && method.equals(HttpMethod.GET) && acceptsGzip(msg);

        var future = engine.handle(request);
        if (future.isDone() && !future.isCompletedExceptionally()) {
            respond(ctx, future.getNow(null), keepAlive, head, gzip, null);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        future.whenComplete((response, err) -> ctx.executor().execute(() -> respond(ctx, response, keepAlive, head, gzip,
                err instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null ? ce.getCause() : err)));
    }

    /**
     * What the caller may read, for the listings: what {@link AuthHandler} found, every stream when
     * nothing is authorized, and nothing if authorization is on but the request was not scoped.
     */
    private ReadScope readScope(FullHttpRequest msg) {
        if (msg instanceof ScopedRequest scoped) {
            return scoped.scope();
        }
        return config.auth() != null && config.auth().protectsStreams() ? ReadScope.NONE : ReadScope.ALL;
    }

    private void operational(ChannelHandlerContext ctx, String path, boolean keepAlive) {
        switch (path) {
            case HEALTH_PATH -> text(ctx, keepAlive, 200, "ok\n", "text/plain; charset=utf-8");
            case READY_PATH -> {
                if (shuttingDown.getAsBoolean()) {
                    text(ctx, keepAlive, 503, "shutting down\n", "text/plain; charset=utf-8");
                } else if (!engine.storageAvailable()) {
                    // a networked store whose database does not answer: the load balancer sends requests elsewhere
                    notReady(ctx, keepAlive, "store unavailable\n");
                } else {
                    text(ctx, keepAlive, 200, "ready\n", "text/plain; charset=utf-8");
                }
            }
            case "/metrics" -> text(ctx, keepAlive, 200, metrics.get(), "text/plain; version=0.0.4; charset=utf-8");
            default -> problem(ctx, keepAlive, 404, "not-found", "streams live under " + config.streamRoot());
        }
    }

    private void console(ChannelHandlerContext ctx, FullHttpRequest msg, String path, boolean keepAlive) {
        ConsoleAssets.Reply reply = console.serve(msg.method().name(), path, msg.headers().get(HttpHeaderNames.IF_NONE_MATCH));
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()),
                Unpooled.wrappedBuffer(reply.body()));
        reply.headers().forEach(r.headers()::set);
        Responses.send(ctx, standard, r, keepAlive);
    }

    private void text(ChannelHandlerContext ctx, boolean keepAlive, int status, String body, String contentType) {
        Responses.send(ctx, standard, textResponse(status, body, contentType), keepAlive);
    }

    private void notReady(ChannelHandlerContext ctx, boolean keepAlive, String body) {
        FullHttpResponse r = textResponse(503, body, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        Responses.send(ctx, standard, r, keepAlive);
    }

    private static FullHttpResponse textResponse(int status, String body, String contentType) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }

    private String baseUrl(FullHttpRequest msg) {
        String origin = config.publicBaseUrl();
        if (origin == null) {
            String host = msg.headers().get(HttpHeaderNames.HOST);
            if (host == null || host.isBlank()) {
                host = msg.headers().get(":authority", config.host() + ":" + config.port());
            }
            origin = (config.tls() != null ? "https://" : "http://") + host;
        }
        return origin + config.streamRoot();
    }

    private static boolean acceptsGzip(FullHttpRequest msg) {
        String ae = msg.headers().get(HttpHeaderNames.ACCEPT_ENCODING);
        if (ae == null) {
            return false;
        }
        for (String part : ae.split(",")) {
            String[] kv = part.trim().split(";");
            if (kv[0].trim().equalsIgnoreCase("gzip")) {
                return kv.length < 2 || !kv[1].replace(" ", "").equalsIgnoreCase("q=0");
            }
        }
        return false;
    }

    private static LiveContext live(ChannelHandlerContext ctx) {
        return new LiveContext() {
            @Override
            public Executor executor() {
                return ctx.executor();
            }

            @Override
            public Runnable schedule(Runnable task, long delayMillis) {
                var f = ctx.executor().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }
        };
    }

    private void respond(ChannelHandlerContext ctx, Response response, boolean keepAlive, boolean head, boolean gzip,
                         Throwable err) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (err != null) {
            StorageFailure failure = StorageFailure.report(err);
            FullHttpResponse answer = Responses.problem(failure.status(), failure.type(), failure.detail());
            if (failure.retryAfterSeconds() > 0) {
                answer.headers().set(HttpHeaderNames.RETRY_AFTER, failure.retryAfterSeconds());
            }
            Responses.send(ctx, standard, answer, keepAlive && failure.status() < 500);
            resumeReading(ctx);
            return;
        }
        if (response.sse() != null) {
            HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()));
            copyHeaders(response, r.headers());
            standard.apply(r.headers());
            HttpUtil.setTransferEncodingChunked(r, true);
            if (!keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            ctx.channel().config().setAutoRead(false);
            ctx.write(r);
            response.sse().start(new NettySseSink(ctx, keepAlive, () -> resumeReading(ctx)));
            return;
        }
        if (response.file() != null && !head) {
            boolean compress = gzip && response.status() == 200 && response.bodyLength() >= config.compressionThresholdBytes();
            if (!compress && zeroCopyCapable(ctx)) {
                sendFile(ctx, response, keepAlive, gzip);
                return;
            }
        }
        ByteBuf content;
        boolean compressed = false;
        if (head || response.body().isEmpty()) {
            content = Unpooled.EMPTY_BUFFER;
        } else if (gzip && response.status() == 200 && response.bodyLength() >= config.compressionThresholdBytes()) {
            content = Gzip.compress(ctx.alloc(), response.body());
            compressed = true;
        } else {
            content = Unpooled.wrappedBuffer(response.body().toArray(new ByteBuffer[0]));
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), content);
        copyHeaders(response, r.headers());
        if (compressed) {
            r.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        }
        if (gzip || compressed) {
            r.headers().add(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        }
        if (head) {
            r.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        }
        Responses.send(ctx, standard, r, keepAlive);
        resumeReading(ctx);
    }

    /**
     * sendfile works on a plain TCP connection: not through TLS, not inside an HTTP/2 stream, and
     * not when test faults may rewrite bodies.
     */
    private boolean zeroCopyCapable(ChannelHandlerContext ctx) {
        return ctx.channel() instanceof SocketChannel && ctx.pipeline().get(SslHandler.class) == null && !config.testFaults();
    }

    /** Head, then the file region (sendfile), then the end of the response. */
    private void sendFile(ChannelHandlerContext ctx, Response response, boolean keepAlive, boolean gzipConsidered) {
        FileSlice file = response.file();
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()));
        copyHeaders(response, r.headers());
        standard.apply(r.headers());
        HttpUtil.setContentLength(r, file.length());
        if (gzipConsidered) {
            r.headers().add(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        }
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.write(r);
        ctx.write(new DefaultFileRegion(file.file().toFile(), file.position(), file.length()));
        var done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
        resumeReading(ctx);
    }

    /**
     * Turning auto-read back on reads by itself: the flow control then hands over the next queued
     * request. A further explicit read would hand over one more even if that one stopped reading again.
     */
    private static void resumeReading(ChannelHandlerContext ctx) {
        if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private static void copyHeaders(Response response, HttpHeaders target) {
        for (Map.Entry<String, String> e : response.headers().entrySet()) {
            target.set(e.getKey(), e.getValue());
        }
    }

    private void problem(ChannelHandlerContext ctx, boolean keepAlive, int status, String type, String detail) {
        Responses.send(ctx, standard, Responses.problem(status, type, detail), keepAlive && status < 500);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "connection error", cause);
        ctx.close();
    }
}
