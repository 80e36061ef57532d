package io.durablestreams.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * The whole pipeline (after a response encoder) of a cleartext connection over the connection
 * limit: answers {@code 503} with {@code Retry-After} at once, without reading the request, then
 * half-closes. Whatever the client sends is drained until it closes too, or for at most
 * {@value #LINGER_MILLIS} ms: closing with unread input would make the kernel send a reset, which
 * can destroy the answer before the client reads it.
 */
final class OverloadedConnection extends ChannelInboundHandlerAdapter {
    static final long LINGER_MILLIS = 1_000;
    private final StandardHeaders standard;

    OverloadedConnection(StandardHeaders standard) {
        this.standard = standard;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        FullHttpResponse r = Responses.problem(503, "overloaded", "the server has too many connections; retry shortly");
        r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(r, r.content().readableBytes());
        standard.apply(r.headers());
        ctx.writeAndFlush(r).addListener(f -> {
            if (f.isSuccess() && ctx.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                ctx.close();
            }
        });
        ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
