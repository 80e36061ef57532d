package io.durablestreams.bench.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;

/**
 * Completes the one request outstanding on a connection. The load tool never pipelines, so a
 * single pending slot is enough.
 */
final class ResponseHandler extends SimpleChannelInboundHandler<HttpObject> {
    /** What the current request wants done with its response. */
    static final class Pending {
        final CompletableFuture<HttpResult> future = new CompletableFuture<>();
        final boolean keepBody;
        final ChunkListener listener;
        int status;
        HttpHeaders headers;
        long bytes;
        ByteArrayOutputStream body;

        Pending(boolean keepBody, ChunkListener listener) {
            this.keepBody = keepBody;
            this.listener = listener;
        }
    }

    private volatile Pending pending;

    void expect(Pending p) {
        pending = p;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        Pending p = pending;
        if (p == null) {
            return;
        }
        if (msg instanceof HttpResponse r) {
            p.status = r.status().code();
            p.headers = r.headers();
            if (p.keepBody) {
                p.body = new ByteArrayOutputStream();
            }
            if (p.listener != null) {
                p.listener.onHeaders(p.status);
            }
        }
        if (msg instanceof HttpContent c) {
            ByteBuf content = c.content();
            p.bytes += content.readableBytes();
            if (p.body != null && content.isReadable()) {
                p.body.writeBytes(ByteBufUtil.getBytes(content));
            }
            if (p.listener != null && content.isReadable()) {
                p.listener.onChunk(content);
            }
            if (msg instanceof LastHttpContent) {
                pending = null;
                if (p.listener != null) {
                    p.listener.onEnd(null);
                }
                p.future.complete(new HttpResult(p.status, p.headers, p.body == null ? null : p.body.toByteArray(),
                        p.bytes, System.nanoTime()));
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new ClosedChannelException());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
        ctx.close();
    }

    private void fail(Throwable cause) {
        Pending p = pending;
        pending = null;
        if (p != null) {
            if (p.listener != null) {
                p.listener.onEnd(cause);
            }
            p.future.completeExceptionally(cause instanceof IOException ? cause : new IOException(cause));
        }
    }
}
