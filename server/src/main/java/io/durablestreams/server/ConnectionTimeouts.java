package io.durablestreams.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Pipeline slot: after the HTTP/1.1 codec and {@link ObservabilityHandler}. Keeps idle and slow
 * clients from holding connections (and so file descriptors) forever:
 * <ul>
 * <li><b>header timeout</b>: the whole request head must arrive within it, counted from the
 *     connection's start and from the first byte of each later request; a client that trickles
 *     a header byte now and then (slowloris) gets {@code 408} and the connection closes;
 * <li><b>idle timeout</b>: on an {@link IdleStateEvent} (no bytes read or written for the idle
 *     timeout, from the handler at the front of the pipeline) the connection closes, unless a
 *     fully received request still awaits its response: a long-poll or SSE response in progress,
 *     or an append waiting for durability, is never cut. A stalled request body gets {@code 408}.
 * </ul>
 * On a switch to HTTP/2 (h2c) the handler removes itself; {@link Http2IdleClose} takes over.
 */
final class ConnectionTimeouts extends ChannelDuplexHandler {
    private final long headerTimeoutMillis;
    private final StandardHeaders standard;
    /** Request heads received. */
    private int requests;
    /** Responses whose last part has been written (1xx interim responses excluded). */
    private int responses;
    /** A request's head has arrived but not the end of its body. */
    private boolean receiving;
    /** The response being written is an interim 1xx one (100 Continue). */
    private boolean interim;
    /** Whether any HTTP object was decoded since the last read completed. */
    private boolean decodedThisRead;
    private ScheduledFuture<?> headerTimer;

    ConnectionTimeouts(long headerTimeoutMillis, StandardHeaders standard) {
        this.headerTimeoutMillis = headerTimeoutMillis;
        this.standard = standard;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        startHeaderTimer(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelHeaderTimer();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelHeaderTimer();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpObject) {
            decodedThisRead = true;
        }
        if (msg instanceof HttpRequest) {
            requests++;
            receiving = true;
            cancelHeaderTimer();
        }
        if (msg instanceof LastHttpContent) {
            receiving = false;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        // bytes arrived but decoded into nothing while idle: the head of a next request has begun
        if (!decodedThisRead && idle() && headerTimer == null) {
            startHeaderTimer(ctx);
        }
        decodedThisRead = false;
        super.channelReadComplete(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse r) {
            interim = r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        }
        if (msg instanceof LastHttpContent && !interim) {
            responses++;
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            onIdle(ctx);
            return;
        }
        if (evt instanceof HttpServerUpgradeHandler.UpgradeEvent
                || evt instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent) {
            ctx.pipeline().remove(this);
        }
        super.userEventTriggered(ctx, evt);
    }

    private void onIdle(ChannelHandlerContext ctx) {
        int unanswered = requests - responses;
        if (unanswered > (receiving ? 1 : 0)) {
            return; // the server owes a response to a complete request: a live read or a pending append
        }
        if (receiving && unanswered == 1) {
            timeOut(ctx, "the request body did not arrive in time");
        } else {
            ctx.close();
        }
    }

    /** No request in progress and none awaiting its response. */
    private boolean idle() {
        return requests == responses && !receiving;
    }

    private void startHeaderTimer(ChannelHandlerContext ctx) {
        headerTimer = ctx.executor().schedule(() -> {
            headerTimer = null;
            timeOut(ctx, "the request head did not arrive in time");
        }, headerTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void cancelHeaderTimer() {
        if (headerTimer != null) {
            headerTimer.cancel(false);
            headerTimer = null;
        }
    }

    private void timeOut(ChannelHandlerContext ctx, String detail) {
        if (ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(false);
            Responses.send(ctx, standard, Responses.problem(408, "request-timeout", detail), false);
        }
    }
}
