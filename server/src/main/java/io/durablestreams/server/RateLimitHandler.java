package io.durablestreams.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Pipeline slot: after the aggregator, before authorization. Answers 429 with
 * {@code Retry-After} when the client's address has used up its token bucket (PROTOCOL.md §12.5).
 * {@code /healthz} and {@code /readyz} are exempt.
 */
@ChannelHandler.Sharable
final class RateLimitHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final RateLimiter limiter;
    private final StandardHeaders standard;

    RateLimitHandler(RateLimiter limiter, StandardHeaders standard) {
        super(false);
        this.limiter = limiter;
        this.standard = standard;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        if (isProbe(msg)) {
            ctx.fireChannelRead(msg);
            return;
        }
        long waitMillis = limiter.acquire(clientKey(ctx));
        if (waitMillis == 0) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        msg.release();
        FullHttpResponse r = Responses.problem(429, "rate-limited", "too many requests; retry after the indicated delay");
        r.headers().set("retry-after", Long.toString(Math.max(1, (waitMillis + 999) / 1000)));
        Responses.send(ctx, standard, r, keepAlive);
    }

    /** Health and readiness probes come often from few addresses; a 429 would take the server out of rotation. */
    private static boolean isProbe(FullHttpRequest msg) {
        String path = new QueryStringDecoder(msg.uri()).rawPath();
        return path.equals(StreamRequestHandler.HEALTH_PATH) || path.equals(StreamRequestHandler.READY_PATH);
    }

    private static String clientKey(ChannelHandlerContext ctx) {
        SocketAddress a = ctx.channel().remoteAddress();
        if (a == null && ctx.channel().parent() != null) {
            a = ctx.channel().parent().remoteAddress();
        }
        return a instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(a);
    }
}
