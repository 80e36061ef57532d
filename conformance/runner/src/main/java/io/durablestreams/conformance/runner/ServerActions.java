package io.durablestreams.conformance.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Runner-side actions that talk to the server directly, bypassing the adapter (ADAPTER.md §3.7):
 * {@code server-append}, {@code server-close}, {@code inject-error}, {@code clear-errors}.
 */
final class ServerActions {
    private static final String[] FAULT_FIELDS = {"status", "retryAfter", "delayMs", "dropConnection",
            "truncateBodyBytes", "probability", "method", "corruptBody", "jitterMs", "injectSseEvent"};

    private final String serverUrl;
    private final ObjectMapper mapper;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    ServerActions(String serverUrl, ObjectMapper mapper) {
        this.serverUrl = serverUrl;
        this.mapper = mapper;
    }

    /** POSTs as the official runner does: HEAD for the content type first, producer headers if given. */
    ObjectNode append(String path, String data, Map<String, String> headers, JsonNode op) throws IOException {
        HttpResponse<Void> head = send(HttpRequest.newBuilder(uri(path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
        String contentType = head.headers().firstValue("content-type").orElse("application/octet-stream");
        HttpRequest.Builder post = HttpRequest.newBuilder(uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(data, StandardCharsets.UTF_8))
                .header("content-type", contentType);
        headers.forEach(post::header);
        if (op.has("producerId")) {
            post.header("Producer-Id", op.get("producerId").asText());
        }
        if (op.has("producerEpoch")) {
            post.header("Producer-Epoch", op.get("producerEpoch").asText());
        }
        if (op.has("producerSeq")) {
            post.header("Producer-Seq", op.get("producerSeq").asText());
        }
        HttpResponse<Void> r = send(post, HttpResponse.BodyHandlers.discarding());
        ObjectNode result = mapper.createObjectNode();
        result.put("type", "append");
        result.put("success", true);
        result.put("status", r.statusCode());
        r.headers().firstValue("Stream-Next-Offset").ifPresent(v -> result.put("offset", v));
        result.put("duplicate", r.statusCode() == 204);
        putLong(result, "producerEpoch", r.headers().firstValue("Producer-Epoch").orElse(null));
        putLong(result, "producerSeq", r.headers().firstValue("Producer-Seq").orElse(null));
        putLong(result, "producerExpectedSeq", r.headers().firstValue("Producer-Expected-Seq").orElse(null));
        putLong(result, "producerReceivedSeq", r.headers().firstValue("Producer-Received-Seq").orElse(null));
        return result;
    }

    ObjectNode close(String path, String data, String contentType) throws IOException {
        HttpRequest.Builder post = HttpRequest.newBuilder(uri(path)).header("Stream-Closed", "true")
                .POST(data == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(data, StandardCharsets.UTF_8));
        if (data != null && contentType != null) {
            post.header("content-type", contentType);
        }
        HttpResponse<Void> r = send(post, HttpResponse.BodyHandlers.discarding());
        ObjectNode result = mapper.createObjectNode();
        result.put("type", "close");
        result.put("success", true);
        result.put("status", r.statusCode());
        result.put("finalOffset", r.headers().firstValue("Stream-Next-Offset").orElse(""));
        return result;
    }

    /** Registers a fault; returns an error message, or {@code null} on success. */
    String injectError(String path, JsonNode op) throws IOException {
        ObjectNode body = mapper.createObjectNode();
        body.put("path", path);
        body.put("count", op.path("count").asInt(1));
        for (String field : FAULT_FIELDS) {
            if (op.has(field)) {
                body.set(field, op.get(field));
            }
        }
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/_test/inject-error"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body), StandardCharsets.UTF_8)),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() / 100 == 2 ? null : "Failed to inject fault: " + r.statusCode() + " " + r.body();
    }

    void clearErrors() throws IOException {
        send(HttpRequest.newBuilder(uri("/_test/inject-error")).DELETE(), HttpResponse.BodyHandlers.discarding());
    }

    private URI uri(String path) {
        return URI.create(serverUrl + path);
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void putLong(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            try {
                node.put(field, Long.parseLong(value.trim()));
            } catch (NumberFormatException ignored) {
                // The official runner's parseInt would give NaN here; leaving the field out fails an expectation too.
            }
        }
    }
}
