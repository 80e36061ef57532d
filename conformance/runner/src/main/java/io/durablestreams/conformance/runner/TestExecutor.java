package io.durablestreams.conformance.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Runs one test case's operations through the adapter and the server (ADAPTER.md §3.3, §3.7). */
final class TestExecutor {
    /** Outcome of one test. */
    record Result(Status status, String detail, long millis) {
    }

    enum Status { PASSED, FAILED, SKIPPED }

    /** What one operation produced: a result to check, per-item results of a batch, or a runner error. */
    private record Outcome(JsonNode result, List<JsonNode> batch, String error) {
        static Outcome of(JsonNode result) {
            return new Outcome(result, null, null);
        }

        static Outcome none() {
            return new Outcome(null, null, null);
        }

        static Outcome error(String error) {
            return new Outcome(null, null, error);
        }
    }

    private static final Map<String, String> FEATURE_NAMES = Map.ofEntries(
            Map.entry("batching", "batching"), Map.entry("sse", "sse"), Map.entry("long-poll", "longPoll"),
            Map.entry("longPoll", "longPoll"), Map.entry("auto", "auto"), Map.entry("streaming", "streaming"),
            Map.entry("dynamicHeaders", "dynamicHeaders"), Map.entry("dynamic-headers", "dynamicHeaders"),
            Map.entry("retryOptions", "retryOptions"), Map.entry("retry-options", "retryOptions"),
            Map.entry("batchItems", "batchItems"), Map.entry("batch-items", "batchItems"),
            Map.entry("strictZeroValidation", "strictZeroValidation"),
            Map.entry("strict-zero-validation", "strictZeroValidation"));

    private final AdapterProcess adapter;
    private final ServerActions server;
    private final ObjectMapper mapper;
    private final JsonNode features;
    private final long commandTimeoutMs;
    private final boolean includeSkipped;
    private final Variables variables = new Variables();
    private final Map<String, AdapterProcess.Sent> background = new HashMap<>();

    TestExecutor(AdapterProcess adapter, ServerActions server, ObjectMapper mapper, JsonNode features,
                 long commandTimeoutMs, boolean includeSkipped) {
        this.adapter = adapter;
        this.server = server;
        this.mapper = mapper;
        this.features = features;
        this.commandTimeoutMs = commandTimeoutMs;
        this.includeSkipped = includeSkipped;
    }

    Result run(Suite suite, JsonNode test) {
        long start = System.currentTimeMillis();
        JsonNode skip = test.get("skip");
        if (skip != null && !skip.isNull() && !(skip.isBoolean() && !skip.asBoolean()) && !includeSkipped) {
            return new Result(Status.SKIPPED, skip.isTextual() ? skip.asText() : "marked skip", 0);
        }
        List<String> missing = missingFeatures(suite.requires());
        test.path("requires").forEach(r -> missing.addAll(missingFeatures(List.of(r.asText()))));
        if (!missing.isEmpty()) {
            return new Result(Status.SKIPPED, "missing features: " + String.join(", ", missing), 0);
        }
        variables.clear();
        background.clear();
        String failure = null;
        try {
            failure = runSection(test.path("setup"), "Setup failed: ");
            if (failure == null) {
                failure = runSection(test.path("operations"), "");
            }
        } catch (IOException | RuntimeException e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
        } finally {
            drainBackground();
            for (JsonNode op : test.path("cleanup")) {
                try {
                    execute(op);
                } catch (IOException | RuntimeException ignored) {
                    // Cleanup is best effort, as in the official runner.
                }
            }
        }
        long millis = System.currentTimeMillis() - start;
        return failure == null ? new Result(Status.PASSED, null, millis) : new Result(Status.FAILED, failure, millis);
    }

    private String runSection(JsonNode ops, String prefix) throws IOException {
        for (JsonNode op : ops) {
            Outcome outcome = execute(op);
            if (outcome.error() != null) {
                return prefix + op.path("action").asText() + ": " + outcome.error();
            }
            if (outcome.result() != null) {
                String failed = Expectations.check(outcome.result(), op.get("expect"), outcome.batch());
                if (failed != null) {
                    return prefix + op.path("action").asText() + ": " + failed;
                }
            }
        }
        return null;
    }

    private List<String> missingFeatures(List<String> requires) {
        List<String> missing = new ArrayList<>();
        for (String r : requires) {
            String flag = FEATURE_NAMES.get(r);
            if (flag == null || !features.path(flag).asBoolean(false)) {
                missing.add(r);
            }
        }
        return missing;
    }

    /** Background reads the test never awaited must still be answered before the next command. */
    private void drainBackground() {
        for (AdapterProcess.Sent sent : background.values()) {
            try {
                adapter.await(sent);
            } catch (IOException ignored) {
                // Timed out: the official runner would mis-attribute the late reply; we drop it.
            }
        }
        background.clear();
    }

    private Outcome execute(JsonNode op) throws IOException {
        String action = op.path("action").asText();
        return switch (action) {
            case "create" -> {
                String path = op.hasNonNull("path") ? resolve(op, "path") : "/test-stream-" + UUID.randomUUID();
                if (op.hasNonNull("as")) {
                    variables.set(op.get("as").asText(), mapper.getNodeFactory().textNode(path));
                }
                yield call(command("create", op, path, "contentType", "ttlSeconds", "expiresAt", "headers",
                        "closed", "data"));
            }
            case "connect", "head", "delete" -> {
                Outcome o = call(command(action, op, resolve(op, "path"), "headers"));
                if (action.equals("head") && o.result().path("success").asBoolean(false)
                        && op.path("expect").hasNonNull("storeAs")) {
                    variables.set(op.path("expect").get("storeAs").asText(), o.result());
                }
                yield o;
            }
            case "append" -> {
                ObjectNode cmd = command("append", op, resolve(op, "path"), "seq", "headers");
                if (op.hasNonNull("binaryData")) {
                    cmd.put("data", op.get("binaryData").asText());
                    cmd.put("binary", true);
                } else {
                    cmd.put("data", op.has("json") ? mapper.writeValueAsString(op.get("json"))
                            : op.hasNonNull("data") ? resolve(op, "data") : "");
                    cmd.put("binary", false);
                }
                yield storeOffset(op, call(cmd));
            }
            case "append-batch" -> appendBatch(op);
            case "idempotent-append" -> {
                ObjectNode cmd = producerCommand(action, op);
                cmd.put("data", resolve(op, "data"));
                yield storeOffset(op, call(cmd));
            }
            case "idempotent-append-batch" -> {
                ObjectNode cmd = producerCommand(action, op);
                ArrayNode items = cmd.putArray("items");
                for (JsonNode item : op.path("items")) {
                    items.add(variables.resolve(item.path("data").asText()));
                }
                copy(op, cmd, "maxInFlight");
                yield call(cmd);
            }
            case "idempotent-close" -> {
                ObjectNode cmd = producerCommand(action, op);
                if (op.hasNonNull("data")) {
                    cmd.put("data", resolve(op, "data"));
                }
                yield call(cmd);
            }
            case "idempotent-detach" -> {
                ObjectNode cmd = producerCommand(action, op);
                cmd.remove("autoClaim");
                yield call(cmd);
            }
            case "read" -> read(op);
            case "close" -> call(command("close", op, resolve(op, "path"), "data", "contentType"));
            case "server-close" -> Outcome.of(server.close(resolve(op, "path"),
                    op.hasNonNull("data") ? op.get("data").asText() : null,
                    op.hasNonNull("contentType") ? op.get("contentType").asText() : null));
            case "server-append" -> {
                ObjectNode result = server.append(resolve(op, "path"), resolve(op, "data"), headers(op), op);
                if (op.path("expect").hasNonNull("storeOffsetAs") && result.hasNonNull("offset")) {
                    variables.set(op.path("expect").get("storeOffsetAs").asText(), result.get("offset"));
                }
                yield Outcome.of(result);
            }
            case "inject-error" -> {
                String error = server.injectError(resolve(op, "path"), op);
                yield error == null ? Outcome.none() : Outcome.error(error);
            }
            case "clear-errors" -> {
                server.clearErrors();
                yield Outcome.none();
            }
            case "wait" -> {
                sleep(op.path("ms").asLong());
                yield Outcome.none();
            }
            case "set" -> {
                variables.set(op.path("name").asText(),
                        mapper.getNodeFactory().textNode(variables.resolve(op.path("value").asText())));
                yield Outcome.none();
            }
            case "assert" -> assertion(op);
            case "await" -> {
                AdapterProcess.Sent sent = background.remove(op.path("ref").asText());
                if (sent == null) {
                    yield Outcome.error("No background operation found with ref: " + op.path("ref").asText());
                }
                yield checked(adapter.await(sent), "read");
            }
            case "set-dynamic-header" -> call(command(action, op, null, "name", "valueType", "initialValue"));
            case "set-dynamic-param" -> call(command(action, op, null, "name", "valueType"));
            case "clear-dynamic" -> call(command(action, op, null));
            case "validate" -> call(command(action, op, null, "target"));
            default -> Outcome.error("Unknown operation: " + action);
        };
    }

    private Outcome read(JsonNode op) throws IOException {
        ObjectNode cmd = command("read", op, resolve(op, "path"), "live", "timeoutMs", "maxChunks",
                "waitForUpToDate", "headers");
        if (op.hasNonNull("offset")) {
            cmd.put("offset", resolve(op, "offset"));
        }
        if (op.path("background").asBoolean(false) && op.hasNonNull("as")) {
            background.put(op.get("as").asText(), adapter.send(cmd, commandTimeoutMs));
            return Outcome.none();
        }
        Outcome o = call(cmd);
        JsonNode result = o.result();
        if (o.error() == null && result.path("success").asBoolean(false)) {
            JsonNode expect = op.path("expect");
            if (expect.hasNonNull("storeOffsetAs")) {
                variables.set(expect.get("storeOffsetAs").asText(), result.get("offset"));
            }
            if (expect.hasNonNull("storeDataAs")) {
                StringBuilder sb = new StringBuilder();
                result.path("chunks").forEach(c -> sb.append(c.path("data").asText()));
                variables.set(expect.get("storeDataAs").asText(), mapper.getNodeFactory().textNode(sb.toString()));
            }
        }
        return o;
    }

    private Outcome appendBatch(JsonNode op) throws IOException {
        String path = resolve(op, "path");
        List<JsonNode> results = new ArrayList<>();
        for (JsonNode item : op.path("items")) {
            ObjectNode cmd = mapper.createObjectNode();
            cmd.put("type", "append");
            cmd.put("path", path);
            cmd.put("data", item.hasNonNull("binaryData") ? item.get("binaryData").asText()
                    : item.path("data").asText(""));
            cmd.put("binary", item.hasNonNull("binaryData"));
            copy(item, cmd, "seq");
            copy(op, cmd, "headers");
            Outcome o = call(cmd);
            if (o.error() != null) {
                return o;
            }
            results.add(o.result());
        }
        boolean all = results.stream().allMatch(r -> r.path("success").asBoolean(false));
        ObjectNode composite = mapper.createObjectNode();
        composite.put("type", "append");
        composite.put("success", all);
        composite.put("status", all ? 200 : 207);
        return new Outcome(composite, results, null);
    }

    private Outcome assertion(JsonNode op) {
        String message = op.hasNonNull("message") ? op.get("message").asText() : null;
        if (op.has("equals")) {
            String l = variables.resolve(op.get("equals").path("left").asText());
            String r = variables.resolve(op.get("equals").path("right").asText());
            if (!l.equals(r)) {
                return Outcome.error(message != null ? message : "expected \"" + l + "\" to equal \"" + r + "\"");
            }
        }
        if (op.has("notEquals")) {
            String l = variables.resolve(op.get("notEquals").path("left").asText());
            String r = variables.resolve(op.get("notEquals").path("right").asText());
            if (l.equals(r)) {
                return Outcome.error(message != null ? message : "expected \"" + l + "\" to differ from \"" + r + "\"");
            }
        }
        if (op.has("contains")) {
            String v = variables.resolve(op.get("contains").path("value").asText());
            String s = variables.resolve(op.get("contains").path("substring").asText());
            if (!v.contains(s)) {
                return Outcome.error(message != null ? message : "expected \"" + v + "\" to contain \"" + s + "\"");
            }
        }
        if (op.has("matches")) {
            String v = variables.resolve(op.get("matches").path("value").asText());
            String pattern = op.get("matches").path("pattern").asText();
            try {
                if (!Pattern.compile(pattern).matcher(v).find()) {
                    return Outcome.error(message != null ? message : "expected \"" + v + "\" to match /" + pattern + "/");
                }
            } catch (PatternSyntaxException e) {
                return Outcome.error("Invalid regex pattern: " + pattern);
            }
        }
        return Outcome.none();
    }

    private ObjectNode producerCommand(String type, JsonNode op) {
        ObjectNode cmd = command(type, op, resolve(op, "path"), "producerId", "headers");
        cmd.put("epoch", op.path("epoch").asLong(0));
        cmd.put("autoClaim", op.path("autoClaim").asBoolean(false));
        return cmd;
    }

    private ObjectNode command(String type, JsonNode op, String path, String... fields) {
        ObjectNode cmd = mapper.createObjectNode();
        cmd.put("type", type);
        if (path != null) {
            cmd.put("path", path);
        }
        for (String f : fields) {
            copy(op, cmd, f);
        }
        return cmd;
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        if (from.hasNonNull(field)) {
            to.set(field, from.get(field));
        }
    }

    private Outcome call(ObjectNode cmd) throws IOException {
        String type = cmd.get("type").asText();
        return checked(adapter.call(cmd, commandTimeoutMs), type);
    }

    private Outcome checked(JsonNode reply, String type) {
        String shape = Expectations.checkShape(reply, type);
        return shape == null ? Outcome.of(reply) : Outcome.error(shape);
    }

    private Outcome storeOffset(JsonNode op, Outcome o) {
        JsonNode expect = op.path("expect");
        if (o.error() == null && expect.hasNonNull("storeOffsetAs") && o.result().path("success").asBoolean(false)) {
            JsonNode offset = o.result().get("offset");
            if (offset == null || !offset.isTextual()) {
                return Outcome.error("storeOffsetAs: the result has no offset: " + o.result());
            }
            variables.set(expect.get("storeOffsetAs").asText(), offset);
        }
        return o;
    }

    private String resolve(JsonNode op, String field) {
        JsonNode v = op.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalStateException(op.path("action").asText() + " needs " + field);
        }
        return variables.resolve(v.asText());
    }

    private Map<String, String> headers(JsonNode op) {
        Map<String, String> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = op.path("headers").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
