package io.durablestreams.engine.http;

import io.durablestreams.engine.store.FileSlice;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A protocol response: status, headers (lower-case names) and a body that is either bytes or an
 * SSE session the binding starts after sending the head.
 */
public final class Response {
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private List<ByteBuffer> body = List.of();
    private FileSlice file;
    private SseBody sse;

    public Response(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Response header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The body bytes; a file body is read into memory on first call (see {@link #file()}). */
    public List<ByteBuffer> body() {
        if (body.isEmpty() && file != null) {
            body = List.of(file.read());
        }
        return body;
    }

    public long bodyLength() {
        if (file != null) {
            return file.length();
        }
        long n = 0;
        for (ByteBuffer b : body) {
            n += b.remaining();
        }
        return n;
    }

    public Response body(List<ByteBuffer> parts) {
        this.body = parts;
        return this;
    }

    public Response body(String text) {
        this.body = List.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /**
     * The same bytes as {@link #body()}, as a file region a transport may send with zero copy
     * instead; null when the body exists only in memory.
     */
    public FileSlice file() {
        return file;
    }

    public Response file(FileSlice slice) {
        this.file = slice;
        return this;
    }

    public SseBody sse() {
        return sse;
    }

    public Response sse(SseBody session) {
        this.sse = session;
        return this;
    }
}
