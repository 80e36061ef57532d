package io.durablestreams.crashtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The few protocol calls the harness makes. An {@link IOException} means "outcome unknown". */
final class Http {
    /** Per-request timeout: {@value} s. */
    private static final long TIMEOUT_SECONDS = 10;
    private static final String CONTENT_TYPE = "text/plain";

    /** @param start the stream position of the body's first byte (above 0 once retention reclaimed the beginning) */
    record Read(int status, byte[] body, String nextOffset, boolean closed, long start) {}

    /** An idempotent producer's tuple for one request. */
    record Producer(String id, long epoch, long seq) {}

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(TIMEOUT_SECONDS)).build();
    final String baseUrl;
    private final String streamRoot;

    Http(String baseUrl) {
        this.baseUrl = baseUrl;
        this.streamRoot = baseUrl + "/v1/stream/";
    }

    URI uri(String name, String query) {
        String path = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
        return URI.create(streamRoot + path + (query == null ? "" : "?" + query));
    }

    private HttpRequest.Builder request(String name, String query) {
        return HttpRequest.newBuilder(uri(name, query)).timeout(Duration.ofSeconds(TIMEOUT_SECONDS));
    }

    HttpResponse<byte[]> create(String name) throws IOException, InterruptedException {
        return create(name, 0);
    }

    HttpResponse<byte[]> create(String name, long retentionBytes) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(name, null).header("Content-Type", CONTENT_TYPE);
        if (retentionBytes > 0) {
            b.header("Stream-Retention-Bytes", Long.toString(retentionBytes));
        }
        return send(b.PUT(HttpRequest.BodyPublishers.noBody()));
    }

    /** Record {@code i} of the model's stream: as producer seq {@code i} (epoch 0), or with {@code Stream-Seq}. */
    HttpResponse<byte[]> append(StreamModel s, int i, byte[] body, boolean close) throws IOException, InterruptedException {
        if (s.kind == StreamModel.Kind.PRODUCER) {
            return post(s.name, body, close, new Producer(s.producerId(), 0, i), null);
        }
        return post(s.name, body, close, null, body.length > 0 ? s.streamSeq(i) : null);
    }

    /** POST: an append, an append-and-close or (empty body) a close; producer and streamSeq may be null. */
    HttpResponse<byte[]> post(String name, byte[] body, boolean close, Producer producer, String streamSeq)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = request(name, null).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (body.length > 0) {
            b.header("Content-Type", CONTENT_TYPE);
        }
        if (close) {
            b.header("Stream-Closed", "true");
        }
        if (producer != null) {
            b.header("Producer-Id", producer.id()).header("Producer-Epoch", Long.toString(producer.epoch()))
                    .header("Producer-Seq", Long.toString(producer.seq()));
        }
        if (streamSeq != null) {
            b.header("Stream-Seq", streamSeq);
        }
        return send(b);
    }

    HttpResponse<byte[]> delete(String name) throws IOException, InterruptedException {
        return send(request(name, null).DELETE());
    }

    /** Reads the whole stream from the beginning, following Stream-Next-Offset until up to date. */
    Read readAll(String name) throws IOException, InterruptedException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String offset = "-1";
        long start = -1;
        while (true) {
            HttpResponse<byte[]> r = send(request(name, "offset=" + offset).GET());
            if (r.statusCode() != 200) {
                return new Read(r.statusCode(), body.toByteArray(), null, false, Math.max(0, start));
            }
            body.writeBytes(r.body());
            String next = r.headers().firstValue("stream-next-offset").orElse(null);
            if (start < 0 && next != null) {
                start = position(next) - r.body().length; // the bytes run up to the next offset
            }
            boolean closed = r.headers().firstValue("stream-closed").map("true"::equals).orElse(false);
            boolean upToDate = r.headers().firstValue("stream-up-to-date").map("true"::equals).orElse(false);
            if (upToDate || closed && r.body().length == 0 || next == null || next.equals(offset)) {
                return new Read(200, body.toByteArray(), next, closed, Math.max(0, start));
            }
            offset = next;
        }
    }

    /**
     * One long-poll from {@code offset}: 200 with data, 204 when the server's timeout passed (or the
     * stream is closed at that offset), 404 when it is gone. {@code timeout} must exceed the server's
     * {@code --long-poll-timeout}.
     */
    HttpResponse<byte[]> longPoll(String name, String offset, Duration timeout) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(name, "offset=" + offset + "&live=long-poll")).timeout(timeout).GET());
    }

    /** The stream position an offset ({@code <incarnation>_<position>}) names. */
    static long position(String offset) {
        return Long.parseLong(offset.substring(offset.lastIndexOf('_') + 1));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
