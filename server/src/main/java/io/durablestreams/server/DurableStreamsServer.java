package io.durablestreams.server;

import io.durablestreams.console.ConsoleAssets;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.server.common.ServerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * The HTTP server: Netty with the native epoll transport when available, NIO otherwise;
 * HTTP/1.1, HTTP/2 over TLS (ALPN) and optionally cleartext h2c.
 *
 * <p>Every connection is first admitted by the {@link ConnectionLimit} (over it: {@link
 * OverloadedConnection}), then: {@link IdleStateHandler} → [{@link io.netty.handler.ssl.SslHandler}] →
 * <ul>
 * <li>HTTP/1.1: {@link HttpServerCodec} → {@link ObservabilityHandler} → {@link ConnectionTimeouts}
 *     → {@link RequestFraming} → request handlers;
 * <li>HTTP/2: frame codec → multiplexer → {@link Http2IdleClose}; per stream:
 *     {@link Http2StreamFrameToHttpObjectCodec} → {@link ObservabilityHandler} → request handlers.
 * </ul>
 * Request handlers: {@link BodyAggregator} → {@link FlowControlHandler} → [{@link RateLimitHandler}]
 * → [{@link AuthHandler}] → {@link StreamRequestHandler} → {@link SseWritability}.
 */
public final class DurableStreamsServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DurableStreamsServer.class.getName());

    private final ServerConfig config;
    private final StreamEngine engine;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ServerMetrics metrics;
    private final StandardHeaders standard;
    private final RateLimitHandler rateLimit;
    private final AuthHandler auth;
    /** The web console's files (loaded once), or null when it is off. */
    private final ConsoleAssets console;
    private final AccessLogger accessLog;
    private final FaultInjectionHandler.Faults faults = new FaultInjectionHandler.Faults();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ConnectionLimit connectionLimit;
    private SslContext ssl;
    private EventLoopGroup group;
    private Channel channel;

    public DurableStreamsServer(ServerConfig config, StreamEngine engine) {
        this.config = config;
        this.engine = engine;
        this.metrics = new ServerMetrics(engine, registry);
        this.standard = new StandardHeaders(config.allowedOrigin());
        this.console = config.console() ? ConsoleAssets.bundled() : null;
        this.rateLimit = config.rateLimit() == null ? null : new RateLimitHandler(
                new RateLimiter(config.rateLimit().requestsPerSecond(), config.rateLimit().burst(), System::currentTimeMillis), standard);
        this.auth = config.auth() == null ? null
                : new AuthHandler(config.auth(), config.streamRoot(), standard);
        this.accessLog = config.accessLog() == ServerConfig.AccessLog.OFF ? null : new AccessLogger(config.accessLog(), System.out);
        this.connectionLimit = new ConnectionLimit(config.connections().maxConnections());
    }

    private static InputStream certificateChain(Path file) throws SSLException {
        try {
            return new ByteArrayInputStream(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new SSLException("cannot read --tls-cert " + file + ": " + e.getMessage(), e);
        }
    }

    /** Binds and starts serving; returns once the port is bound. */
    public DurableStreamsServer start() throws InterruptedException, SSLException {
        if (config.tls() != null) {
            ssl = SslContextBuilder.forServer(certificateChain(config.tls().certificateChain()),
                            TlsPrivateKey.pkcs8Pem(config.tls().privateKey()))
                    .sslProvider(SslProvider.JDK)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        }
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(io);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        if (!connectionLimit.admit(ch)) {
                            refuse(ch);
                            return;
                        }
                        ch.pipeline().addLast("idle", new IdleStateHandler(true, 0, 0,
                                config.connections().idleTimeoutMillis(), TimeUnit.MILLISECONDS));
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new Alpn());
                        } else if (config.h2c()) {
                            addCleartextWithH2c(ch.pipeline());
                        } else {
                            ch.pipeline().addLast("codec", http1Codec());
                            addHttp1Handlers(ch.pipeline());
                        }
                    }
                });
        channel = b.bind(config.host(), config.port()).sync().channel();
        engine.setPublicRoot((config.publicBaseUrl() != null ? config.publicBaseUrl() : url()) + config.streamRoot());
        return this;
    }

    /**
     * A connection over the limit: a cleartext one is answered 503 before its request is read; a
     * TLS one is closed at once, since answering would first cost a handshake, and so is any when
     * too many refusals are being answered already.
     */
    private void refuse(Channel ch) {
        if (ssl == null && connectionLimit.mayAnswerRefusal(ch)) {
            ch.pipeline().addLast(new HttpResponseEncoder(), new OverloadedConnection(standard));
        } else {
            ch.close();
        }
    }

    /** Netty's codec, with request headers that let {@link RequestFraming} see every framing conflict. */
    static HttpServerCodec http1Codec() {
        return new HttpServerCodec(new HttpDecoderConfig().setHeadersFactory(FramingHeaders.FACTORY));
    }

    /** Everything after the HTTP/1.1 codec. */
    private void addHttp1Handlers(ChannelPipeline p) {
        p.addLast("observability", new ObservabilityHandler(metrics, accessLog, config.streamRoot()));
        p.addLast("timeouts", new ConnectionTimeouts(config.connections().headerTimeoutMillis(), standard));
        p.addLast("framing", new RequestFraming(standard));
        addRequestHandlers(p);
    }

    /**
     * The handlers of complete requests; shared by HTTP/1.1 connections and HTTP/2 streams. The
     * flow control holds requests that arrive while one is pending (the stream handler stops
     * reading), so pipelined requests are answered one at a time, in order.
     */
    private void addRequestHandlers(ChannelPipeline p) {
        p.addLast("aggregator", new BodyAggregator(config.engine().maxAppendBytes(), standard));
        p.addLast("flow-control", new FlowControlHandler());
        if (rateLimit != null) {
            p.addLast("rate-limit", rateLimit);
        }
        if (auth != null) {
            p.addLast("auth", auth);
        }
        if (config.testFaults()) {
            p.addLast("test-faults", new FaultInjectionHandler(faults, standard, config.streamRoot()));
        }
        p.addLast("streams", new StreamRequestHandler(engine, config, standard, this::scrape, shuttingDown::get, console));
        p.addLast("sse-writability", new SseWritability());
    }

    private ChannelInitializer<Channel> http2StreamInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel stream) {
                stream.pipeline().addLast("codec", new Http2StreamFrameToHttpObjectCodec(true));
                stream.pipeline().addLast("observability", new ObservabilityHandler(metrics, accessLog, config.streamRoot()));
                addRequestHandlers(stream.pipeline());
            }
        };
    }

    private void addHttp2(ChannelPipeline p) {
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer().build();
        p.addLast(codec, new Http2MultiplexHandler(http2StreamInitializer()), new Http2IdleClose(codec));
    }

    private void addCleartextWithH2c(ChannelPipeline p) {
        HttpServerCodec codec = http1Codec();
        HttpServerUpgradeHandler.UpgradeCodecFactory upgrades = protocol -> {
            if (!AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)) {
                return null;
            }
            Http2FrameCodec http2 = Http2FrameCodecBuilder.forServer().build();
            return new Http2ServerUpgradeCodec(http2, new Http2MultiplexHandler(http2StreamInitializer()), new Http2IdleClose(http2));
        };
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, upgrades, config.engine().maxAppendBytes());
        ChannelInitializer<Channel> priorKnowledge = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                addHttp2(ch.pipeline());
            }
        };
        p.addLast(new CleartextHttp2ServerUpgradeHandler(codec, upgrade, priorKnowledge));
        addHttp1Handlers(p);
    }

    /** Picks HTTP/2 or HTTP/1.1 after the TLS handshake. */
    private final class Alpn extends ApplicationProtocolNegotiationHandler {
        Alpn() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(io.netty.channel.ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                addHttp2(ctx.pipeline());
            } else {
                ctx.pipeline().addLast("codec", http1Codec());
                addHttp1Handlers(ctx.pipeline());
            }
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The URL clients use to reach the server root, e.g. {@code http://127.0.0.1:4437}. */
    public String url() {
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (ssl != null ? "https://" : "http://") + host + ":" + port();
    }

    public StreamEngine engine() {
        return engine;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** The Prometheus text exposition of every meter, served at {@code /metrics}. */
    public String scrape() {
        return registry.scrape();
    }

    /** Connections admitted and still open. */
    public int openConnections() {
        return connectionLimit.open();
    }

    /**
     * Graceful shutdown: stop accepting connections, end live reads (long-polls answer, SSE
     * responses end), let in-flight appends finish and become durable (up to the grace period),
     * then close connections, event loops and the store.
     */
    @Override
    public void close() {
        if (!shuttingDown.compareAndSet(false, true)) {
            return;
        }
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        engine.beginShutdown();
        try {
            long deadline = System.currentTimeMillis() + config.shutdownGraceMillis();
            if (!engine.awaitPendingWrites(config.shutdownGraceMillis())) {
                LOG.log(System.Logger.Level.WARNING, "appends still pending after " + config.shutdownGraceMillis() + " ms; closing anyway");
            }
            // let ended live reads and acknowledged appends reach their clients before closing connections
            while (metrics.openExchanges() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        engine.close();
        if (accessLog != null) {
            accessLog.close();
        }
    }
}
