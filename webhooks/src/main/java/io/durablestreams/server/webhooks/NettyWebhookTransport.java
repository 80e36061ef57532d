package io.durablestreams.server.webhooks;

import io.durablestreams.engine.subscriptions.WebhookTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Webhook POSTs over Netty, one connection per POST, to exactly the vetted address (the
 * subscription code resolved and vetted it: a second lookup here could answer differently, which
 * is DNS rebinding). Netty rather than the JDK's {@code HttpClient}: that one resolves the URL's
 * host itself and forbids setting {@code Host}, so it cannot connect to a pinned address while
 * keeping the host name for {@code Host} and for TLS (server name and certificate check); here
 * the connection goes to an already resolved socket address with no resolver at all, the
 * {@code Host} header is the URL's authority, and the TLS handler gets the host name as peer host,
 * so it sends it as SNI and verifies the certificate against it ({@code HTTPS} endpoint
 * identification). Redirects are answers like any other (never followed); reply bodies are capped.
 */
public final class NettyWebhookTransport implements WebhookTransport {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final EventLoopGroup group;
    private final SslContext tls;

    /** Verifies servers against the JDK's default trust store. */
    public NettyWebhookTransport() {
        this(defaultTls());
    }

    /** @param tls a client context; it must verify host names ({@code HTTPS} endpoint identification) */
    NettyWebhookTransport(SslContext tls) {
        this.tls = tls;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ds-webhooks", true), NioIoHandler.newFactory());
    }

    static SslContextBuilder clientTls() {
        return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).endpointIdentificationAlgorithm("HTTPS");
    }

    private static SslContext defaultTls() {
        try {
            return clientTls().build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for webhooks", e);
        }
    }

    @Override
    public CompletableFuture<Reply> post(Post post) {
        URI url = post.url();
        boolean https = "https".equals(url.getScheme().toLowerCase(Locale.ROOT));
        int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
        CompletableFuture<Reply> out = new CompletableFuture<>();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .resolver(NoopAddressResolverGroup.INSTANCE) // the address is resolved already: never look it up here
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(CONNECT_TIMEOUT_MILLIS, post.timeout().toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (https) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_REPLY_BYTES), new ReplyHandler(out));
                    }
                });
        ChannelFuture connect;
        try {
            connect = b.connect(new InetSocketAddress(post.address(), port));
        } catch (RuntimeException e) { // e.g. after close()
            return CompletableFuture.failedFuture(e);
        }
        Channel ch = connect.channel();
        if (connect.isDone() && !connect.isSuccess()) {
            return CompletableFuture.failedFuture(connect.cause());
        }
        ScheduledFuture<?> timeout = ch.eventLoop().schedule(() -> out.completeExceptionally(
                new TimeoutException("no reply within " + post.timeout().toMillis() + " ms")), post.timeout().toMillis(), TimeUnit.MILLISECONDS);
        out.whenComplete((reply, err) -> {
            timeout.cancel(false);
            ch.close();
        });
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                out.completeExceptionally(f.cause());
                return;
            }
            ch.writeAndFlush(request(post)).addListener(w -> {
                if (!w.isSuccess()) {
                    out.completeExceptionally(w.cause());
                }
            });
        });
        return out;
    }

    private static FullHttpRequest request(Post post) {
        URI url = post.url();
        String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target,
                Unpooled.wrappedBuffer(post.body()));
        post.headers().forEach(req.headers()::set);
        req.headers().set(HttpHeaderNames.HOST, url.getRawAuthority())
                .set(HttpHeaderNames.CONTENT_LENGTH, post.body().length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return req;
    }

    /** Completes the POST's future with the first whole reply, or with why none came. */
    private static final class ReplyHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<Reply> out;

        ReplyHandler(CompletableFuture<Reply> out) {
            this.out = out;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            out.complete(new Reply(response.status().code(), ByteBufUtil.getBytes(response.content())));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
                out.completeExceptionally(handshake.cause());
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            out.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            out.completeExceptionally(new IOException("the connection closed before a whole reply"));
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
