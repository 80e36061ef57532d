package io.durablestreams.bench.scenario;

import io.durablestreams.bench.http.HttpConnection;
import io.durablestreams.bench.http.HttpLoadClient;
import io.durablestreams.bench.http.HttpResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Protocol steps shared by the scenarios. */
final class StreamOps {
    static final String BINARY = "application/octet-stream";
    static final String TEXT = "text/plain";
    static final String JSON = "application/json";
    static final String NEXT_OFFSET = "Stream-Next-Offset";
    static final String UP_TO_DATE = "Stream-Up-To-Date";

    private StreamOps() {}

    static void create(HttpConnection c, String stream, String contentType) {
        HttpResult r = c.put(HttpLoadClient.streamPath(stream), contentType).join();
        require(r, "create " + stream);
    }

    /** Appends and returns the new tail offset. */
    static String append(HttpConnection c, String stream, byte[] body, String contentType) {
        HttpResult r = c.post(HttpLoadClient.streamPath(stream), body, contentType).join();
        require(r, "append to " + stream);
        return r.header(NEXT_OFFSET);
    }

    static HttpResult require(HttpResult r, String what) {
        if (!r.ok()) {
            throw new IllegalStateException(what + " failed: HTTP " + r.status());
        }
        return r;
    }

    /** {@code size} bytes of printable filler, so text and SSE paths carry it unchanged. */
    static byte[] filler(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 'x');
        return b;
    }

    /** A JSON object of exactly {@code size} bytes (at least 20), distinct per {@code id}. */
    static byte[] jsonMessage(long id, int size) {
        String head = "{\"id\":" + id + ",\"p\":\"";
        int pad = Math.max(0, size - head.length() - 2);
        return (head + "x".repeat(pad) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON array of {@code count} messages of {@code size} bytes, starting at id {@code first}. */
    static byte[] jsonArray(long first, int count, int size) {
        StringBuilder sb = new StringBuilder(count * (size + 1) + 2).append('[');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(new String(jsonMessage(first + i, size), StandardCharsets.UTF_8));
        }
        return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    static String query(String stream, String offset, String live) {
        String q = HttpLoadClient.streamPath(stream) + "?offset=" + offset;
        return live == null ? q : q + "&live=" + live;
    }
}
