package io.durablestreams.conformance.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablestreams.client.Chunk;
import io.durablestreams.client.CloseableIterator;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.LiveMode;
import io.durablestreams.client.Offsets;
import io.durablestreams.client.ReadOptions;
import io.durablestreams.client.ReadResponse;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code read} command (ADAPTER.md §3.3.4). A catch-up read runs to the tail. A live read collects
 * chunks on a worker thread until {@code maxChunks}, EOF, up-to-date (with {@code waitForUpToDate}) or
 * {@code timeoutMs}; at the timeout the read is closed, which makes the worker return at once.
 */
final class ReadCommand {
    private static final long DEFAULT_TIMEOUT_MS = 5_000;
    private static final int DEFAULT_MAX_CHUNKS = 100;
    /** Budget for the worker to wind down after the read was closed. */
    private static final long WIND_DOWN_MS = 2_000;

    private final ObjectMapper mapper;
    private final DurableStream stream;
    private final JsonNode command;
    private final Map<String, String> dynamicHeaders;
    private final Map<String, String> dynamicParams;

    /** What the worker collected; read by the command thread after the worker finished. */
    private final List<Chunk> chunks = new ArrayList<>();
    private final AtomicReference<ReadResponse> response = new AtomicReference<>();
    private volatile Chunk last;

    ReadCommand(ObjectMapper mapper, DurableStream stream, JsonNode command, Map<String, String> dynamicHeaders,
                Map<String, String> dynamicParams) {
        this.mapper = mapper;
        this.stream = stream;
        this.command = command;
        this.dynamicHeaders = dynamicHeaders;
        this.dynamicParams = dynamicParams;
    }

    ObjectNode run() {
        LiveMode live = liveMode(command.get("live"));
        ReadOptions.Builder options = ReadOptions.newBuilder().live(live);
        if (command.hasNonNull("offset")) {
            options.offset(command.get("offset").asText());
        } else {
            options.offset(Offsets.BEGINNING);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = command.path("headers").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            options.header(e.getKey(), e.getValue().asText());
        }
        dynamicHeaders.forEach(options::header);
        dynamicParams.forEach(options::param);
        ReadOptions readOptions = options.build();

        boolean timedOut = false;
        if (live == LiveMode.OFF) {
            collect(readOptions, Integer.MAX_VALUE, false);
        } else {
            timedOut = collectLive(readOptions);
        }
        return reply(live, timedOut);
    }

    private boolean collectLive(ReadOptions options) {
        long timeoutMs = command.path("timeoutMs").asLong(DEFAULT_TIMEOUT_MS);
        int maxChunks = command.path("maxChunks").asInt(DEFAULT_MAX_CHUNKS);
        boolean waitForUpToDate = command.path("waitForUpToDate").asBoolean(false);
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "adapter-read");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> done = worker.submit(() -> collect(options, maxChunks, waitForUpToDate));
            try {
                done.get(timeoutMs, TimeUnit.MILLISECONDS);
                return false;
            } catch (TimeoutException e) {
                ReadResponse r = response.get();
                if (r != null) {
                    r.close();
                }
                done.cancel(true);
                awaitQuietly(done);
                return true;
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            worker.shutdownNow();
        }
    }

    private static void awaitQuietly(Future<?> done) {
        try {
            done.get(WIND_DOWN_MS, TimeUnit.MILLISECONDS);
        } catch (Exception ignored) {
            // The read was closed on purpose; whatever it collected is the answer.
        }
    }

    private void collect(ReadOptions options, int maxChunks, boolean waitForUpToDate) {
        try (ReadResponse r = stream.read(options)) {
            response.set(r);
            int dataChunks = 0;
            try (CloseableIterator<Chunk> it = r.chunks()) {
                while (it.hasNext()) {
                    Chunk c = it.next();
                    synchronized (chunks) {
                        last = c;
                        if (!c.isEmpty()) {
                            chunks.add(c);
                            dataChunks++;
                        }
                    }
                    if (c.closed() || dataChunks >= maxChunks || (waitForUpToDate && c.upToDate())) {
                        return;
                    }
                }
            }
        }
    }

    private ObjectNode reply(LiveMode live, boolean timedOut) {
        ReadResponse r = response.get();
        List<Chunk> collected;
        Chunk lastChunk;
        synchronized (chunks) {
            collected = new ArrayList<>(chunks);
            lastChunk = last;
        }
        boolean json = r != null && r.contentType() != null && r.contentType().contains("application/json");
        ObjectNode reply = Replies.success(mapper, "read");
        ArrayNode out = reply.putArray("chunks");
        if (json && live == LiveMode.OFF && collected.size() > 1) {
            out.addObject().put("data", mergeJsonArrays(collected))
                    .put("offset", collected.get(collected.size() - 1).offset());
        } else {
            for (Chunk c : collected) {
                out.addObject().put("data", c.text()).put("offset", c.offset());
            }
        }
        int status = r == null ? 200 : r.lastStatus();
        reply.put("status", !collected.isEmpty() || status == 0 ? 200 : status);
        String offset = lastChunk != null ? lastChunk.offset() : r != null ? r.offset() : null;
        reply.put("offset", offset != null ? offset : command.path("offset").asText(Offsets.BEGINNING));
        boolean closed = lastChunk != null ? lastChunk.closed() : r != null && r.closed();
        boolean upToDate = timedOut || closed || (lastChunk != null ? lastChunk.upToDate() : r != null && r.upToDate());
        reply.put("upToDate", upToDate);
        reply.put("streamClosed", closed);
        reply.set("headersSent", mapper.valueToTree(dynamicHeaders));
        reply.set("paramsSent", mapper.valueToTree(dynamicParams));
        return reply;
    }

    /** One catch-up read must come back as one JSON array (ADAPTER.md §3.3.4). */
    private static String mergeJsonArrays(List<Chunk> collected) {
        StringBuilder sb = new StringBuilder("[");
        for (Chunk c : collected) {
            String text = c.text().trim();
            String inner = text.substring(1, text.length() - 1).trim();
            if (inner.isEmpty()) {
                continue;
            }
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(inner);
        }
        return sb.append(']').toString();
    }

    private static LiveMode liveMode(JsonNode live) {
        if (live == null || live.isNull() || (live.isBoolean() && !live.asBoolean())) {
            return LiveMode.OFF;
        }
        if (live.isBoolean()) {
            return LiveMode.AUTO;
        }
        return switch (live.asText()) {
            case "long-poll" -> LiveMode.LONG_POLL;
            case "sse" -> LiveMode.SSE;
            case "auto", "true" -> LiveMode.AUTO;
            case "false" -> LiveMode.OFF;
            default -> throw new IllegalArgumentException("live must be false, true, long-poll or sse, was " + live);
        };
    }
}
