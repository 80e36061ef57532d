package io.durablestreams.bench.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.CompletableFuture;

/** One keep-alive HTTP/1.1 connection with at most one request in flight. */
public final class HttpConnection {
    private final Channel channel;
    private final ResponseHandler handler;
    private final String host;

    HttpConnection(Channel channel, ResponseHandler handler, String host) {
        this.channel = channel;
        this.handler = handler;
        this.host = host;
    }

    public CompletableFuture<HttpResult> get(String pathAndQuery, boolean keepBody) {
        return send(HttpMethod.GET, pathAndQuery, null, null, keepBody, null);
    }

    public CompletableFuture<HttpResult> post(String path, byte[] body, String contentType) {
        return send(HttpMethod.POST, path, body, contentType, false, null);
    }

    public CompletableFuture<HttpResult> put(String path, String contentType) {
        return send(HttpMethod.PUT, path, new byte[0], contentType, false, null);
    }

    /** Starts a response that is delivered to {@code listener} as it arrives (SSE). */
    public CompletableFuture<HttpResult> stream(String pathAndQuery, ChunkListener listener) {
        return send(HttpMethod.GET, pathAndQuery, null, null, false, listener);
    }

    private CompletableFuture<HttpResult> send(HttpMethod method, String path, byte[] body, String contentType,
            boolean keepBody, ChunkListener listener) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.HOST, host);
        if (body != null) {
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        if (contentType != null) {
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        ResponseHandler.Pending pending = new ResponseHandler.Pending(keepBody, listener);
        handler.expect(pending);
        channel.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                pending.future.completeExceptionally(f.cause());
            }
        });
        return pending.future;
    }

    public void close() {
        channel.close();
    }
}
