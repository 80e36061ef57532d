package io.durablestreams.server;

import io.durablestreams.engine.http.SseSink;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An SSE session's view of its channel. Writes go out as HTTP chunks; writability comes from the
 * channel's high/low water marks; closing ends the chunked response (and the connection when
 * the client did not ask for keep-alive). Used only on the channel's event loop.
 */
final class NettySseSink implements SseSink {
    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;
    private final Runnable onEnd;
    private final List<Runnable> closeTasks = new ArrayList<>(1);
    private Runnable writableTask;
    private boolean open = true;

    NettySseSink(ChannelHandlerContext ctx, boolean keepAlive, Runnable onEnd) {
        this.ctx = ctx;
        this.keepAlive = keepAlive;
        this.onEnd = onEnd;
        ctx.channel().closeFuture().addListener(f -> ctx.executor().execute(this::closedByPeer));
        SseWritability.register(ctx.channel(), this::writabilityChanged);
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void write(ByteBuffer bytes) {
        if (open) {
            ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)), ctx.voidPromise());
        }
    }

    @Override
    public void flush() {
        if (open) {
            ctx.flush();
        }
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        SseWritability.unregister(ctx.channel());
        if (ctx.channel().isActive()) {
            var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            } else {
                onEnd.run();
            }
        }
        runCloseTasks();
    }

    @Override
    public boolean isOpen() {
        return open && ctx.channel().isActive();
    }

    @Override
    public void onWritable(Runnable task) {
        writableTask = task;
    }

    @Override
    public void onClose(Runnable task) {
        closeTasks.add(task);
    }

    private void writabilityChanged() {
        Runnable t = writableTask;
        if (t != null && (ctx.channel().isWritable() || !ctx.channel().isActive())) {
            writableTask = null;
            t.run();
        }
    }

    private void closedByPeer() {
        if (open) {
            open = false;
            SseWritability.unregister(ctx.channel());
            runCloseTasks();
        }
    }

    private void runCloseTasks() {
        List<Runnable> tasks = new ArrayList<>(closeTasks);
        closeTasks.clear();
        tasks.forEach(Runnable::run);
    }
}
