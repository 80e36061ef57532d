package io.durablestreams.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Pipeline slot: just before the stream handler, and only when the server runs with
 * {@code --test-faults}. Implements the fault-injection endpoint the client conformance suite
 * drives ({@code POST /_test/inject-error} adds a fault for a path, {@code DELETE} clears all):
 * injected status codes (with {@code Retry-After}), delays, dropped connections, truncated or
 * corrupted response bodies, and a forged SSE event before the real ones. Never enable it in
 * production: anyone can make the server misbehave.
 */
final class FaultInjectionHandler extends ChannelDuplexHandler {
    static final String ENDPOINT = "/_test/inject-error";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Faults by request path, shared by all connections of one server. */
    static final class Faults {
        private final Map<String, Fault> byPath = new ConcurrentHashMap<>();

        /** Takes one use of the fault for this request, if any applies. */
        Fault consume(String path, String method) {
            Fault f = byPath.get(path);
            if (f == null || (f.method != null && !f.method.equalsIgnoreCase(method))) {
                return null;
            }
            if (f.probability < 1 && ThreadLocalRandom.current().nextDouble() >= f.probability) {
                return null;
            }
            synchronized (f) {
                if (f.remaining <= 0) {
                    return null;
                }
                if (--f.remaining == 0) {
                    byPath.remove(path, f);
                }
            }
            return f;
        }
    }

    static final class Fault {
        Integer status;
        int remaining;
        Integer retryAfter;
        long delayMs;
        long jitterMs;
        boolean dropConnection;
        Integer truncateBodyBytes;
        boolean corruptBody;
        double probability = 1;
        String method;
        String sseEventType;
        String sseEventData;

        boolean mutatesResponse() {
            return truncateBodyBytes != null || corruptBody || sseEventType != null;
        }
    }

    private final Faults faults;
    private final StandardHeaders standard;
    private final String streamRoot;
    private Fault active;

    /**
     * Paths are matched as sent and, for requests under {@code streamRoot}, also relative to it, so
     * a runner whose server URL is the stream root ({@code http://host/v1/stream}) can name streams
     * {@code /name} and reach the endpoint at {@code /v1/stream/_test/inject-error}.
     */
    FaultInjectionHandler(Faults faults, StandardHeaders standard, String streamRoot) {
        this.faults = faults;
        this.standard = standard;
        this.streamRoot = streamRoot;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String path = new QueryStringDecoder(req.uri()).rawPath();
        String relative = path.startsWith(streamRoot) ? path.substring(streamRoot.length() - 1) : null;
        if (path.equals(ENDPOINT) || ENDPOINT.equals(relative)) {
            control(ctx, req);
            return;
        }
        Fault matched = faults.consume(path, req.method().name());
        Fault f = matched == null && relative != null ? faults.consume(relative, req.method().name()) : matched;
        if (f == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        long delay = f.delayMs + (f.jitterMs > 0 ? ThreadLocalRandom.current().nextLong(f.jitterMs + 1) : 0);
        Runnable apply = () -> apply(ctx, req, f);
        if (delay > 0) {
            ctx.executor().schedule(apply, delay, TimeUnit.MILLISECONDS);
        } else {
            apply.run();
        }
    }

    private void apply(ChannelHandlerContext ctx, FullHttpRequest req, Fault f) {
        if (f.dropConnection) {
            req.release();
            ctx.channel().close();
            return;
        }
        if (f.status != null) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            req.release();
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(f.status),
                    Unpooled.copiedBuffer("Injected error for testing", StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            if (f.retryAfter != null) {
                r.headers().set(HttpHeaderNames.RETRY_AFTER, f.retryAfter.toString());
            }
            Responses.send(ctx, standard, r, keepAlive);
            return;
        }
        if (f.mutatesResponse()) {
            active = f;
        }
        ctx.fireChannelRead(req);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        Fault f = active;
        if (f == null || !(msg instanceof HttpResponse)) {
            ctx.write(msg, promise);
            return;
        }
        active = null;
        if (msg instanceof FullHttpResponse full) {
            // the body may wrap the store's own (read-only) buffers: mutate a copy, never the data
            ByteBuf body = Unpooled.copiedBuffer(full.content());
            if (f.truncateBodyBytes != null && body.readableBytes() > f.truncateBodyBytes) {
                body.writerIndex(body.readerIndex() + f.truncateBodyBytes);
            }
            if (f.corruptBody && body.isReadable()) {
                corrupt(body);
            }
            FullHttpResponse mutated = full.replace(body);
            full.release();
            if (mutated.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                HttpUtil.setContentLength(mutated, body.readableBytes());
            }
            ctx.write(mutated, promise);
            return;
        }
        ctx.write(msg, promise);
        if (f.sseEventType != null) {
            String event = "event: " + f.sseEventType + "\ndata: " + f.sseEventData + "\n\n";
            ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer(event, StandardCharsets.UTF_8)));
        }
    }

    /** Makes the body unparseable as JSON while keeping it valid UTF-8. */
    private static void corrupt(ByteBuf body) {
        int from = body.readerIndex();
        int n = body.readableBytes();
        body.setByte(from, 'Y');
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < Math.max(1, n / 10); i++) {
            body.setByte(from + random.nextInt(n), 'Z');
        }
    }

    private void control(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        try {
            if (req.method().equals(HttpMethod.DELETE)) {
                faults.byPath.clear();
                Responses.send(ctx, standard, json(200, "{\"ok\":true}"), keepAlive);
            } else if (req.method().equals(HttpMethod.POST)) {
                Fault f = new Fault();
                JsonNode n = JSON.readTree(req.content().toString(StandardCharsets.UTF_8));
                String path = n.path("path").asText(null);
                if (path == null || path.isEmpty()) {
                    Responses.send(ctx, standard, Responses.problem(400, "invalid-fault", "missing field: path"), keepAlive);
                    return;
                }
                f.status = n.hasNonNull("status") ? n.get("status").asInt() : null;
                f.remaining = n.path("count").asInt(1);
                f.retryAfter = n.hasNonNull("retryAfter") ? n.get("retryAfter").asInt() : null;
                f.delayMs = n.path("delayMs").asLong(0);
                f.jitterMs = n.path("jitterMs").asLong(0);
                f.dropConnection = n.path("dropConnection").asBoolean(false);
                f.truncateBodyBytes = n.hasNonNull("truncateBodyBytes") ? n.get("truncateBodyBytes").asInt() : null;
                f.corruptBody = n.path("corruptBody").asBoolean(false);
                f.probability = n.path("probability").asDouble(1);
                f.method = n.path("method").asText(null);
                if (n.hasNonNull("injectSseEvent")) {
                    f.sseEventType = n.get("injectSseEvent").path("eventType").asText("data");
                    f.sseEventData = n.get("injectSseEvent").path("data").asText("");
                }
                boolean any = f.status != null || f.delayMs > 0 || f.dropConnection || f.truncateBodyBytes != null
                        || f.corruptBody || f.sseEventType != null;
                if (!any) {
                    Responses.send(ctx, standard, Responses.problem(400, "invalid-fault", "specify at least one fault"), keepAlive);
                    return;
                }
                faults.byPath.put(path, f);
                Responses.send(ctx, standard, json(200, "{\"ok\":true}"), keepAlive);
            } else {
                Responses.send(ctx, standard, Responses.problem(405, "method-not-allowed", "use POST or DELETE"), keepAlive);
            }
        } catch (java.io.IOException | RuntimeException e) {
            Responses.send(ctx, standard, Responses.problem(400, "invalid-fault", "the body is not a fault description"), keepAlive);
        } finally {
            req.release();
        }
    }

    private static FullHttpResponse json(int status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return r;
    }
}
