package io.durablestreams.server;

import io.durablestreams.engine.StreamEngine;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server: Netty with the native epoll transport when available, NIO otherwise.
 *
 * <p>Pipeline per connection: {@link HttpServerCodec} → {@link BodyAggregator} →
 * {@link StreamRequestHandler} → {@link SseWritability}.
 */
public final class DurableStreamsServer implements AutoCloseable {
    private final ServerConfig config;
    private final StreamEngine engine;
    private EventLoopGroup group;
    private Channel channel;

    public DurableStreamsServer(ServerConfig config, StreamEngine engine) {
        this.config = config;
        this.engine = engine;
    }

    /** Binds and starts serving; returns once the port is bound. */
    public DurableStreamsServer start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(io);
        StandardHeaders standard = new StandardHeaders(config.allowedOrigin());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("codec", new HttpServerCodec())
                                .addLast("aggregator", new BodyAggregator(config.engine().maxAppendBytes(), standard))
                                .addLast("streams", new StreamRequestHandler(engine, config, standard))
                                .addLast("sse-writability", new SseWritability());
                    }
                });
        channel = b.bind(config.host(), config.port()).sync().channel();
        return this;
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
        return "http://" + host + ":" + port();
    }

    public StreamEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
        engine.close();
    }
}
