package io.durablestreams.server;

import io.durablestreams.protocol.ProtocolHeaders;
import io.durablestreams.server.common.Operations;
import io.durablestreams.server.common.ServerMetrics;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pipeline slot: right after the HTTP codec, so it sees every request head and every response,
 * including those written by the aggregator (413), rate limiting and authorization. Records
 * metrics and the access log when a response's last content is written; counts open live reads.
 * Requests on one connection complete in order, so exchanges are kept in a FIFO.
 */
final class ObservabilityHandler extends ChannelDuplexHandler {
    private final ServerMetrics metrics;
    private final AccessLogger accessLog;
    private final String streamRoot;
    private final ArrayDeque<Exchange> exchanges = new ArrayDeque<>(2);

    private static final class Exchange {
        final long startNanos = System.nanoTime();
        final long startMillis = System.currentTimeMillis();
        final String method;
        final String uri;
        final String operation;
        long requestBytes;
        long responseBytes;
        int status;
        AtomicInteger liveGauge;

        Exchange(HttpRequest req, String operation) {
            this.method = req.method().name();
            this.uri = req.uri();
            this.operation = operation;
        }
    }

    ObservabilityHandler(ServerMetrics metrics, AccessLogger accessLog, String streamRoot) {
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.streamRoot = streamRoot;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest req) {
            Exchange e = new Exchange(req, Operations.of(req.method().name(), req.uri(), streamRoot,
                    req.headers().get(ProtocolHeaders.STREAM_CLOSED), () -> HttpUtil.getContentLength(req, -1L)));
            e.liveGauge = metrics.live(e.operation);
            if (e.liveGauge != null) {
                e.liveGauge.incrementAndGet();
            }
            exchanges.addLast(e);
            metrics.exchangeOpened();
        }
        if (msg instanceof HttpContent c && !exchanges.isEmpty()) {
            exchanges.peekLast().requestBytes += c.content().readableBytes();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        Exchange e = exchanges.peekFirst();
        if (e != null) {
            if (msg instanceof HttpResponse r) {
                e.status = r.status().code();
            }
            if (msg instanceof ByteBufHolder h) {
                e.responseBytes += h.content().readableBytes();
            } else if (msg instanceof io.netty.channel.FileRegion region) {
                e.responseBytes += region.count();
                metrics.sentFile(region.count());
            }
            if (msg instanceof LastHttpContent && e.status != 100) {
                exchanges.pollFirst();
                complete(ctx, e);
            }
        }
        super.write(ctx, msg, promise);
    }

    private void complete(ChannelHandlerContext ctx, Exchange e) {
        metrics.exchangeClosed();
        if (e.liveGauge != null) {
            e.liveGauge.decrementAndGet();
            e.liveGauge = null;
        }
        long nanos = System.nanoTime() - e.startNanos;
        metrics.completed(e.operation, e.method, e.status, nanos, e.requestBytes, e.responseBytes);
        if (accessLog != null) {
            accessLog.log(new AccessLogger.Entry(e.startMillis, remote(ctx), e.method, e.uri, e.status,
                    e.responseBytes, nanos / 1000, e.operation));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (Exchange e : exchanges) {
            metrics.exchangeClosed();
            if (e.liveGauge != null) {
                e.liveGauge.decrementAndGet();
            }
        }
        exchanges.clear();
        super.channelInactive(ctx);
    }

    private static String remote(ChannelHandlerContext ctx) {
        SocketAddress a = ctx.channel().remoteAddress();
        if (a == null && ctx.channel().parent() != null) {
            a = ctx.channel().parent().remoteAddress();
        }
        return a instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(a);
    }
}
