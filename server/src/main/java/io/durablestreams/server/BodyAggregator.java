package io.durablestreams.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Pipeline slot: after the codec. Collects a request body (fixed-length or chunked) up to the
 * append limit; a larger one is answered with 413 and a problem body, then the connection closes
 * because the rest of the body cannot be skipped cheaply. The same goes for a request that
 * announces a too large body with {@code Expect: 100-continue}, or expects anything else (417).
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
        ctx.writeAndFlush(refusal(413)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Netty's refusals of an expectation have no body and none of our headers: ours replace them. */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse r && r.status().codeClass() == HttpStatusClass.CLIENT_ERROR) {
            int status = r.status().code();
            r.release();
            return refusal(status);
        }
        return response;
    }

    private FullHttpResponse refusal(int status) {
        FullHttpResponse r = status == 413
                ? Responses.problem(413, "payload-too-large", "request body exceeds " + maxBytes + " bytes")
                : Responses.problem(status, "expectation-failed", "only Expect: 100-continue is supported");
        HttpUtil.setContentLength(r, r.content().readableBytes());
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        standard.apply(r.headers());
        return r;
    }
}
