package io.durablestreams.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Pipeline slot: after the HTTP/2 multiplexer. Closes (with GOAWAY) an HTTP/2 connection that has
 * had no traffic for the idle timeout and has no open stream, so live reads are never cut.
 */
final class Http2IdleClose extends ChannelInboundHandlerAdapter {
    private final Http2FrameCodec codec;

    Http2IdleClose(Http2FrameCodec codec) {
        this.codec = codec;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (!(evt instanceof IdleStateEvent)) {
            super.userEventTriggered(ctx, evt);
        } else if (codec.connection().numActiveStreams() == 0) {
            ctx.close();
        }
    }
}
