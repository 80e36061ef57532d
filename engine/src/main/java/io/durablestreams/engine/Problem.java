package io.durablestreams.engine;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.durablestreams.engine.http.Response;
import io.durablestreams.protocol.ProtocolHeaders;

/**
 * An error answer: status plus a small {@code application/problem+json} body (RFC 9457) whose
 * {@code type} is a stable slug clients can switch on.
 */
final class Problem extends RuntimeException {
    final int status;
    final String type;
    final String title;
    private transient Response response;

    Problem(int status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    /** Adds a header to the error response (e.g. {@code Stream-Closed} on a 409). */
    Problem with(String header, String value) {
        response().header(header, value);
        return this;
    }

    Response response() {
        if (response == null) {
            response = new Response(status)
                    .header(ProtocolHeaders.CONTENT_TYPE, "application/problem+json")
                    .body(json());
        }
        return response;
    }

    private String json() {
        StringBuilder sb = new StringBuilder(96).append("{\"type\":\"").append(type)
                .append("\",\"title\":");
        quote(sb, title);
        sb.append(",\"status\":").append(status);
        if (getMessage() != null) {
            sb.append(",\"detail\":");
            quote(sb, getMessage());
        }
        return sb.append('}').toString();
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        sb.append('"');
    }

    static Problem badRequest(String type, String detail) {
        return new Problem(400, type, "Bad request", detail);
    }

    static Problem notFound(String stream) {
        return new Problem(404, "stream-not-found", "Stream not found", "no stream named " + clip(stream));
    }

    static Problem gone(String stream) {
        return new Problem(410, "stream-gone", "Stream is gone", "stream " + clip(stream) + " was deleted but is retained for its forks");
    }

    static Problem conflict(String type, String title, String detail) {
        return new Problem(409, type, title, detail);
    }

    static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
