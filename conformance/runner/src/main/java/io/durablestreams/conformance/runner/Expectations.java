package io.durablestreams.conformance.runner;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks an operation's result against its {@code expect} block. Everything the official runner checks
 * is checked here (ADAPTER.md §3.9), and more strictly:
 * <ul>
 *   <li>an expected {@code status} must be present in the result (the official runner accepts an error
 *       reply without status for any expected status);</li>
 *   <li>the fields the official runner ignores are enforced: {@code success}, {@code error},
 *       {@code allSucceed}, {@code succeedIndices}, {@code failIndices}, {@code maxChunks};</li>
 *   <li>a successful read or head must carry explicit booleans and a chunk array
 *       ({@link #checkShape}); a stored offset must exist;</li>
 *   <li>an unknown expectation key is an error, so that a typo cannot disable a check.</li>
 * </ul>
 * Like the official runner, data expectations ({@code data}, {@code chunkCount}, {@code upToDate}, …)
 * apply to successful results only: cases such as {@code read-future-offset} and
 * {@code offset-zero-start} accept either data or a 400 from the server this way.
 */
final class Expectations {
    /** Keys that direct the runner to store values rather than check anything. */
    private static final Set<String> STORE_KEYS = Set.of("storeOffsetAs", "storeDataAs", "storeAs");

    private Expectations() {
    }

    /**
     * @param result the reply (or runner-built result)
     * @param batch per-item results of an {@code append-batch}, or {@code null}
     * @return the first failed check, or {@code null}
     */
    static String check(JsonNode result, JsonNode expect, List<JsonNode> batch) {
        if (expect == null || expect.isNull()) {
            return null;
        }
        boolean success = result.path("success").asBoolean(false);
        boolean isError = !success;
        Iterator<Map.Entry<String, JsonNode>> fields = expect.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String key = e.getKey();
            JsonNode want = e.getValue();
            String failure = switch (key) {
                case "status" -> !result.has("status")
                        ? "Expected status " + want + ", but the result has no status: " + result
                        : result.get("status").asLong() != want.asLong() || !result.get("status").isNumber()
                        ? "Expected status " + want + ", got " + result.get("status") : null;
                case "errorCode" -> success ? "Expected error " + want.asText() + ", but operation succeeded"
                        : !want.asText().equals(result.path("errorCode").asText())
                        ? "Expected error code " + want.asText() + ", got " + result.path("errorCode") : null;
                case "messageContains" -> success ? "Expected an error with message containing " + want
                        + ", but operation succeeded" : missingCaseInsensitive(result.path("message").asText(), want);
                case "errorContains" -> isError && result.path("message").asText().contains(want.asText()) ? null
                        : "Expected an error whose message contains \"" + want.asText() + "\", got " + result;
                case "valid" -> want.asBoolean() == success ? null
                        : want.asBoolean() ? "Expected validation to pass, but it failed: " + result
                        : "Expected validation to fail, but it passed";
                case "success" -> want.asBoolean() == success ? null
                        : "Expected success=" + want.asBoolean() + ", got " + result;
                case "error" -> want.asBoolean() == isError ? null
                        : "Expected error=" + want.asBoolean() + ", got " + result;
                case "allSucceed" -> want.asBoolean() == (success && (batch == null
                        || batch.stream().allMatch(r -> r.path("success").asBoolean(false)))) ? null
                        : "Expected allSucceed=" + want.asBoolean() + ", got " + (batch != null ? batch : result);
                case "succeedIndices", "failIndices" -> checkIndices(key, want, batch);
                case "data" -> withData(result, key, actual -> actual.equals(want.asText()) ? null
                        : "Expected data \"" + want.asText() + "\", got \"" + actual + "\"");
                case "dataContains" -> withData(result, key, actual -> actual.contains(want.asText()) ? null
                        : "Expected data to contain \"" + want.asText() + "\", got \"" + actual + "\"");
                case "dataContainsAll" -> withData(result, key, actual -> {
                    List<String> missing = new ArrayList<>();
                    want.forEach(w -> {
                        if (!actual.contains(w.asText())) {
                            missing.add(w.asText());
                        }
                    });
                    return missing.isEmpty() ? null : "Expected data to contain all of " + want + ", missing "
                            + missing + ", got \"" + actual + "\"";
                });
                case "dataExact" -> checkDataExact(result, want);
                case "chunkCount" -> withChunks(result, key, n -> n == want.asInt() ? null
                        : "Expected " + want.asInt() + " chunks, got " + n);
                case "minChunks" -> withChunks(result, key, n -> n >= want.asInt() ? null
                        : "Expected at least " + want.asInt() + " chunks, got " + n);
                case "maxChunks" -> withChunks(result, key, n -> n <= want.asInt() ? null
                        : "Expected at most " + want.asInt() + " chunks, got " + n);
                case "upToDate", "streamClosed" -> {
                    String type = result.path("type").asText();
                    if (!success || !(type.equals("read") || type.equals("head"))) {
                        yield null;
                    }
                    JsonNode actual = result.get(key);
                    yield actual != null && actual.isBoolean() && actual.asBoolean() == want.asBoolean() ? null
                            : "Expected " + key + "=" + want + ", got " + actual;
                }
                case "finalOffset" -> !success || !result.path("type").asText().equals("close")
                        || want.asText().equals(result.path("finalOffset").asText(null)) ? null
                        : "Expected finalOffset=" + want.asText() + ", got " + result;
                case "contentType" -> headField(result, key, actual -> Objects.equals(actual.asText(null),
                        want.asText()) ? null : "Expected contentType \"" + want.asText() + "\", got " + actual);
                case "hasOffset" -> headField(result, "offset", actual -> {
                    boolean has = actual.isTextual() && !actual.asText().isEmpty();
                    return has == want.asBoolean() ? null : "Expected hasOffset=" + want + ", got " + has;
                });
                case "headersSent", "paramsSent" -> checkSent(result, key, want);
                case "duplicate", "producerEpoch", "producerSeq", "producerExpectedSeq", "producerReceivedSeq" -> {
                    if (!success || !result.path("type").asText().equals("append")) {
                        yield null;
                    }
                    JsonNode actual = result.get(key);
                    boolean same = actual != null && (want.isBoolean() ? actual.isBoolean()
                            && actual.asBoolean() == want.asBoolean() : actual.isNumber()
                            && actual.asLong() == want.asLong());
                    yield same ? null : "Expected " + key + "=" + want + ", got " + actual;
                }
                default -> STORE_KEYS.contains(key) ? null : "Unknown expectation key: " + key;
            };
            if (failure != null) {
                return failure;
            }
        }
        return null;
    }

    private static String missingCaseInsensitive(String message, JsonNode want) {
        List<String> missing = new ArrayList<>();
        for (JsonNode w : want.isArray() ? want : List.of(want)) {
            if (!message.toLowerCase(Locale.ROOT).contains(w.asText().toLowerCase(Locale.ROOT))) {
                missing.add(w.asText());
            }
        }
        return missing.isEmpty() ? null : "Expected error message to contain " + want + ", missing " + missing
                + ". Actual message: \"" + message + "\"";
    }

    private static String checkIndices(String key, JsonNode want, List<JsonNode> batch) {
        if (batch == null) {
            return "Expected " + key + " on an append-batch result";
        }
        boolean wantSuccess = key.equals("succeedIndices");
        for (JsonNode index : want) {
            int i = index.asInt();
            if (i < 0 || i >= batch.size()) {
                return key + " index " + i + " is outside the batch of " + batch.size();
            }
            if (batch.get(i).path("success").asBoolean(false) != wantSuccess) {
                return "Expected item " + i + " to " + (wantSuccess ? "succeed" : "fail") + ", got " + batch.get(i);
            }
        }
        return null;
    }

    private interface Check<T> {
        String apply(T value);
    }

    private static boolean isRead(JsonNode result) {
        return result.path("success").asBoolean(false) && result.path("type").asText().equals("read");
    }

    private static String withData(JsonNode result, String key, Check<String> check) {
        if (!isRead(result)) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        result.path("chunks").forEach(c -> sb.append(c.path("data").asText()));
        return check.apply(sb.toString());
    }

    private static String withChunks(JsonNode result, String key, Check<Integer> check) {
        if (!isRead(result)) {
            return null;
        }
        return check.apply(result.path("chunks").size());
    }

    private static String checkDataExact(JsonNode result, JsonNode want) {
        if (!isRead(result)) {
            return null;
        }
        JsonNode chunks = result.path("chunks");
        if (chunks.size() != want.size()) {
            return "Expected " + want.size() + " messages, got " + chunks.size() + ": " + chunks;
        }
        for (int i = 0; i < want.size(); i++) {
            String actual = chunks.get(i).path("data").asText();
            if (!actual.equals(want.get(i).asText())) {
                return "Message " + i + " mismatch: expected \"" + want.get(i).asText() + "\", got \"" + actual + "\"";
            }
        }
        return null;
    }

    private static String headField(JsonNode result, String field, Check<JsonNode> check) {
        if (!result.path("success").asBoolean(false) || !result.path("type").asText().equals("head")) {
            return null;
        }
        return check.apply(result.path(field));
    }

    private static String checkSent(JsonNode result, String key, JsonNode want) {
        String type = result.path("type").asText();
        JsonNode actual = result.get(key);
        if (!result.path("success").asBoolean(false) || !(type.equals("append") || type.equals("read"))
                || actual == null || !actual.isObject()) {
            return "Expected " + key + " on a successful append/read, got " + result;
        }
        Iterator<Map.Entry<String, JsonNode>> wanted = want.fields();
        while (wanted.hasNext()) {
            Map.Entry<String, JsonNode> w = wanted.next();
            JsonNode got = actual.get(w.getKey());
            if (got == null || !got.asText().equals(w.getValue().asText())) {
                return "Expected " + key + "[" + w.getKey() + "]=\"" + w.getValue().asText() + "\", got " + got;
            }
        }
        return null;
    }

    /** Shape checks every reply must pass, whatever the test expects (ADAPTER.md §3.3, §3.4). */
    static String checkShape(JsonNode reply, String commandType) {
        if (!reply.path("success").isBoolean() || !reply.path("type").isTextual()) {
            return "Reply lacks a boolean success or a type: " + reply;
        }
        if (!reply.get("success").asBoolean()) {
            return reply.path("type").asText().equals("error") && reply.path("errorCode").isTextual()
                    && reply.path("message").isTextual() ? null : "Malformed error reply: " + reply;
        }
        if (!reply.get("type").asText().equals(commandType)) {
            return "Reply type " + reply.get("type") + " does not match command " + commandType;
        }
        if (commandType.equals("read")) {
            JsonNode chunks = reply.get("chunks");
            if (chunks == null || !chunks.isArray() || !reply.path("upToDate").isBoolean()
                    || !reply.path("streamClosed").isBoolean() || !reply.path("offset").isTextual()) {
                return "Read reply needs chunks[], offset, and boolean upToDate/streamClosed: " + reply;
            }
            for (JsonNode c : chunks) {
                if (!c.path("data").isTextual()) {
                    return "Read chunk without text data: " + c;
                }
            }
        }
        if (commandType.equals("head") && !reply.path("streamClosed").isBoolean()) {
            return "Head reply needs a boolean streamClosed: " + reply;
        }
        return null;
    }
}
