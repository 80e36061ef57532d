package io.durablestreams.bench.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * An asynchronous HTTP/1.1 client on Netty that holds thousands of connections on one event loop
 * thread: the load tool shares the machine with the server, so it must spend as little CPU as it can.
 */
public final class HttpLoadClient implements AutoCloseable {
    /** Connects in flight at once; more overflow the server's accept backlog and cost SYN retries. */
    private static final int CONNECT_WINDOW = 256;
    /** The largest response header block or chunk line we accept; responses carry no large headers. */
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final URI base;
    private final String hostHeader;

    public HttpLoadClient(URI base, int threads) {
        this.base = base;
        this.hostHeader = base.getHost() + ":" + base.getPort();
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
    }

    public CompletableFuture<HttpConnection> connect() {
        ResponseHandler handler = new ResponseHandler();
        CompletableFuture<HttpConnection> result = new CompletableFuture<>();
        ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(4096, MAX_HEADER_BYTES, 64 * 1024), handler);
            }
        }).connect(base.getHost(), base.getPort());
        f.addListener(done -> {
            if (done.isSuccess()) {
                result.complete(new HttpConnection(f.channel(), handler, hostHeader));
            } else {
                result.completeExceptionally(done.cause());
            }
        });
        return result;
    }

    /** Opens {@code count} connections, at most {@link #CONNECT_WINDOW} at a time; fails if any fails. */
    public List<HttpConnection> connectAll(int count) throws InterruptedException {
        List<HttpConnection> connections = connectAtMost(count);
        if (connections.size() < count) {
            connections.forEach(HttpConnection::close);
            throw new IllegalStateException("opened only " + connections.size() + " of " + count + " connections");
        }
        return connections;
    }

    /**
     * Opens up to {@code count} connections and returns those that succeeded, so a scenario can
     * measure as many as the machine holds (file descriptors, ephemeral ports).
     */
    public List<HttpConnection> connectAtMost(int count) throws InterruptedException {
        Semaphore window = new Semaphore(CONNECT_WINDOW);
        List<CompletableFuture<HttpConnection>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            window.acquire();
            futures.add(connect().whenComplete((c, e) -> window.release()));
        }
        List<HttpConnection> connections = new ArrayList<>(count);
        Throwable firstError = null;
        for (CompletableFuture<HttpConnection> f : futures) {
            try {
                connections.add(f.join());
            } catch (RuntimeException e) {
                firstError = firstError == null ? e : firstError;
            }
        }
        if (firstError != null) {
            System.out.printf("  %d of %d connects failed, first: %s%n", count - connections.size(), count, firstError);
        }
        return connections;
    }

    /** The request path of a stream: {@code /v1/stream/<name>} on both servers. */
    public static String streamPath(String name) {
        return "/v1/stream/" + name;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
