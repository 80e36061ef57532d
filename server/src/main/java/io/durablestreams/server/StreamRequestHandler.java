package io.durablestreams.server;

import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.http.LiveContext;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
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

/**
 * Pipeline slot: after the codec and the aggregator. Turns each complete request into an engine
 * {@link Request}, writes the engine's {@link Response}, and runs SSE sessions on the channel.
 *
 * <p>While a response is pending (an append waiting for durability, a long-poll, an SSE stream)
 * the channel stops reading, so pipelined requests are answered in order and a slow client
 * cannot queue unbounded work.
 */
final class StreamRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final StreamEngine engine;
    private final ServerConfig config;
    private final StandardHeaders standard;

    StreamRequestHandler(StreamEngine engine, ServerConfig config, StandardHeaders standard) {
        this.engine = engine;
        this.config = config;
        this.standard = standard;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        if (!msg.decoderResult().isSuccess()) {
            writeProblem(ctx, keepAlive, 400, "malformed-request", "the request could not be parsed");
            return;
        }
        QueryStringDecoder uri;
        String path;
        try {
            uri = new QueryStringDecoder(msg.uri(), StandardCharsets.UTF_8, true, 1024, true);
            path = uri.rawPath();
            uri.parameters();
        } catch (IllegalArgumentException e) {
            writeProblem(ctx, keepAlive, 400, "invalid-url-encoding", "the request URL is not valid");
            return;
        }
        HttpMethod method = msg.method();
        if (method.equals(HttpMethod.OPTIONS)) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
            standard.preflight(r.headers(), msg.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS));
            send(ctx, r, keepAlive);
            return;
        }
        if (path.equals("/healthz") || path.equals("/readyz")) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("ok\n", StandardCharsets.US_ASCII));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            send(ctx, r, keepAlive);
            return;
        }
        if (!path.startsWith(config.streamRoot()) || path.length() == config.streamRoot().length()) {
            writeProblem(ctx, keepAlive, 404, "not-found", "streams live under " + config.streamRoot());
            return;
        }
        byte[] body = ByteBufUtil.getBytes(msg.content());
        HttpHeaders headers = msg.headers();
        Request request = new Request(method.name(), path.substring(config.streamRoot().length()),
                uri.parameters(), headers::get, body, baseUrl(msg), live(ctx));
        boolean head = method.equals(HttpMethod.HEAD);

        var future = engine.handle(request);
        if (future.isDone()) {
            respond(ctx, future.join(), keepAlive, head, null);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        future.whenComplete((response, err) -> ctx.executor().execute(() -> respond(ctx, response, keepAlive, head, err)));
    }

    private String baseUrl(FullHttpRequest msg) {
        String origin = config.publicBaseUrl();
        if (origin == null) {
            String host = msg.headers().get(HttpHeaderNames.HOST);
            origin = "http://" + (host == null || host.isBlank() ? config.host() + ":" + config.port() : host);
        }
        return origin + config.streamRoot();
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

    private void respond(ChannelHandlerContext ctx, Response response, boolean keepAlive, boolean head, Throwable err) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (err != null) {
            log().log(System.Logger.Level.WARNING, "request failed in storage", err);
            writeProblem(ctx, keepAlive, 500, "storage-error", "the request could not be stored");
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
        ByteBuf content = head || response.body().isEmpty()
                ? Unpooled.EMPTY_BUFFER
                : Unpooled.wrappedBuffer(response.body().toArray(new ByteBuffer[0]));
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), content);
        copyHeaders(response, r.headers());
        if (head) {
            r.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        }
        send(ctx, r, keepAlive);
        resumeReading(ctx);
    }

    private static void resumeReading(ChannelHandlerContext ctx) {
        if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    private static void copyHeaders(Response response, HttpHeaders target) {
        for (Map.Entry<String, String> e : response.headers().entrySet()) {
            target.set(e.getKey(), e.getValue());
        }
    }

    private void writeProblem(ChannelHandlerContext ctx, boolean keepAlive, int status, String type, String detail) {
        String json = "{\"type\":\"" + type + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}";
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
        send(ctx, r, keepAlive && status < 500);
    }

    private void send(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
        standard.apply(r.headers());
        if (!r.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
                && !(r.status().code() == 204 || r.status().code() == 304)) {
            HttpUtil.setContentLength(r, r.content().readableBytes());
        }
        if (keepAlive) {
            if (!r.protocolVersion().isKeepAliveDefault()) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(r, ctx.voidPromise());
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log().log(System.Logger.Level.DEBUG, "connection error", cause);
        ctx.close();
    }

    private static System.Logger log() {
        return System.getLogger(StreamRequestHandler.class.getName());
    }
}
