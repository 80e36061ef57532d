package io.durablestreams.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * Pipeline slot: last. Forwards channel writability changes to the SSE session running on the
 * channel, if any, so it resumes writing when the client has drained its buffer.
 */
final class SseWritability extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<Runnable> LISTENER = AttributeKey.valueOf("ds.sse.writability");

    static void register(Channel ch, Runnable listener) {
        ch.attr(LISTENER).set(listener);
    }

    static void unregister(Channel ch) {
        ch.attr(LISTENER).set(null);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        Runnable r = ctx.channel().attr(LISTENER).get();
        if (r != null) {
            r.run();
        }
        super.channelWritabilityChanged(ctx);
    }
}
