package io.durablestreams.server;

import io.durablestreams.server.common.ProblemBody;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Writing complete responses from any handler, with the standard headers and keep-alive rules. */
final class Responses {
    private Responses() {}

    static FullHttpResponse problem(int status, String type, String detail) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.copiedBuffer(ProblemBody.json(status, type, detail), StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, ProblemBody.CONTENT_TYPE);
        return r;
    }

    static void send(ChannelHandlerContext ctx, StandardHeaders standard, FullHttpResponse r, boolean keepAlive) {
        standard.apply(r.headers());
        int code = r.status().code();
        if (!r.headers().contains(HttpHeaderNames.CONTENT_LENGTH) && code != 204 && code != 304) {
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
}
