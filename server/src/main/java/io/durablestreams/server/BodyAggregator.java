package io.durablestreams.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Pipeline slot: after the codec. Collects a request body (fixed-length or chunked) up to the
 * append limit; a larger one is answered with 413 and a problem body, then the connection closes
 * because the rest of the body cannot be skipped cheaply.
 */
final class BodyAggregator extends HttpObjectAggregator {
    private final StandardHeaders standard;
    private final int maxBytes;

    BodyAggregator(int maxBytes, StandardHeaders standard) {
        super(maxBytes, true);
        this.maxBytes = maxBytes;
        this.standard = standard;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        String json = "{\"type\":\"payload-too-large\",\"status\":413,\"detail\":\"request body exceeds "
                + maxBytes + " bytes\"}";
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        standard.apply(r.headers());
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
