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

    record Read(int status, byte[] body, String nextOffset, boolean closed) {}

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(TIMEOUT_SECONDS)).build();
    private final String streamRoot;

    Http(String baseUrl) {
        this.streamRoot = baseUrl + "/v1/stream/";
    }

    private URI uri(String name, String query) {
        String path = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
        return URI.create(streamRoot + path + (query == null ? "" : "?" + query));
    }

    private HttpRequest.Builder request(String name, String query) {
        return HttpRequest.newBuilder(uri(name, query)).timeout(Duration.ofSeconds(TIMEOUT_SECONDS));
    }

    HttpResponse<byte[]> create(String name) throws IOException, InterruptedException {
        return send(request(name, null).header("Content-Type", CONTENT_TYPE).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<byte[]> append(StreamModel s, int i, byte[] body, boolean close) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(s.name, null).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (body.length > 0) {
            b.header("Content-Type", CONTENT_TYPE);
        }
        if (close) {
            b.header("Stream-Closed", "true");
        }
        if (s.kind == StreamModel.Kind.PRODUCER) {
            b.header("Producer-Id", s.producerId()).header("Producer-Epoch", "0").header("Producer-Seq", Integer.toString(i));
        } else if (body.length > 0) {
            b.header("Stream-Seq", s.streamSeq(i));
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
        while (true) {
            HttpResponse<byte[]> r = send(request(name, "offset=" + offset).GET());
            if (r.statusCode() != 200) {
                return new Read(r.statusCode(), body.toByteArray(), null, false);
            }
            body.writeBytes(r.body());
            String next = r.headers().firstValue("stream-next-offset").orElse(null);
            boolean closed = r.headers().firstValue("stream-closed").map("true"::equals).orElse(false);
            boolean upToDate = r.headers().firstValue("stream-up-to-date").map("true"::equals).orElse(false);
            if (upToDate || closed && r.body().length == 0 || next == null || next.equals(offset)) {
                return new Read(200, body.toByteArray(), next, closed);
            }
            offset = next;
        }
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
