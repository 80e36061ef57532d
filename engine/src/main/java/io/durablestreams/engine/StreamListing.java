package io.durablestreams.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.durablestreams.engine.subscriptions.SubscriptionManager;
import io.durablestreams.protocol.ProtocolHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * {@code GET __ds/streams?prefix=&limit=&after=}: a page of the streams the caller may read, in
 * name order (docs/listing-api.md). Not part of the protocol, hence under the reserved namespace.
 *
 * <p>Pages are keyed by name, not position: {@code next} is an opaque cursor holding the last name
 * considered, and the next page starts after it, so streams created or deleted between pages
 * never shift others onto a page twice or off every page. A page may hold fewer than
 * {@code limit} streams (one was deleted while the page was built); {@code next} is null only
 * after the last page.
 *
 * <p>With a shared store the names come from the store, and each stream on the page is loaded
 * as committed now (the store's threads do that; nothing waits on the caller's thread).
 */
public final class StreamListing {
    /** The listing's name under the stream root. */
    public static final String PATH = "__ds/streams";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> PARAMS = Set.of("prefix", "limit", "after");
    /** UTF-8 byte order (= code point order), the order clients in any language can reproduce. */
    static final Comparator<String> NAME_ORDER = StreamListing::compareCodePoints;

    private final StreamRegistry registry;
    private final io.durablestreams.engine.store.SharedStreams shared;
    private final SharedLoader loader;
    private final ObjectMapper json = new ObjectMapper();

    StreamListing(StreamRegistry registry, io.durablestreams.engine.store.SharedStreams shared, SharedLoader loader) {
        this.registry = registry;
        this.shared = shared;
        this.loader = loader;
    }

    /** Whether {@code stream} (a decoded name below the stream root) addresses the listing. */
    public static boolean addresses(String stream) {
        return stream.equals(PATH);
    }

    CompletableFuture<Response> handle(Request request) {
        if (!request.method().equals("GET")) {
            return CompletableFuture.completedFuture(new Problem(405, "method-not-allowed", "Method not allowed",
                    "the stream listing only answers GET").response().header("allow", "GET"));
        }
        Query query = Query.parse(request);
        if (shared == null) {
            Page page = query.select(registry.names(), request);
            List<StreamState> entries = new ArrayList<>(page.names.size());
            for (String name : page.names) {
                entries.add(registry.current(name));
            }
            return CompletableFuture.completedFuture(answer(page, entries));
        }
        return shared.names().thenCompose(names -> {
            Page page = query.select(names, request);
            List<CompletableFuture<StreamState>> loads = page.names.stream().map(loader::entry).toList();
            return CompletableFuture.allOf(loads.toArray(new CompletableFuture[0]))
                    .thenApply(v -> answer(page, loads.stream().map(CompletableFuture::join).toList()));
        });
    }

    /** The names of one page in order, and the cursor of the next page (null after the last). */
    private record Page(List<String> names, String next) {}

    /** The page: {@code entries[i]} is the stream named {@code page.names[i]} now, or null when it is gone. */
    private Response answer(Page page, List<StreamState> entries) {
        ObjectNode out = json.createObjectNode();
        ArrayNode streams = out.putArray("streams");
        for (StreamState s : entries) {
            if (s != null && !s.softDeleted && !s.removed) {
                view(s, streams.addObject());
            }
        }
        out.put("next", page.next);
        try {
            return new Response(200).header(ProtocolHeaders.CONTENT_TYPE, "application/json")
                    .header(ProtocolHeaders.CACHE_CONTROL, "no-store").body(json.writeValueAsString(out));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void view(StreamState s, ObjectNode n) {
        long tail = s.visibleTail;
        n.put("name", s.name);
        n.put("content_type", s.contentType);
        n.put("tail_offset", s.offsetOf(tail).toString());
        n.put("bytes", tail);
        long messages = s.json ? messages(s, tail) : -1;
        if (messages >= 0) {
            n.put("messages", messages);
        } else {
            n.putNull("messages");
        }
        n.put("closed", s.closeVisible);
        n.put("created_at", Instant.ofEpochMilli(s.descriptor.createdAtMillis()).toString());
        if (s.ttlSeconds != null) {
            n.put("ttl_seconds", s.ttlSeconds);
        } else {
            n.putNull("ttl_seconds");
        }
        n.put("expires_at", s.expiresAtText);
        n.put("incarnation", Incarnations.format(s.incarnation));
        if (s.source != null) {
            n.putObject("forked_from").put("name", s.source.name)
                    .put("offset", s.offsetOf(s.forkPosition).toString());
        } else {
            n.putNull("forked_from");
        }
        n.put("restartable", s.restartable);
    }

    /** Messages a reader from the start sees up to {@code tail}, inherited ones included; -1 when a log does not know. */
    private static long messages(StreamState s, long tail) {
        long total = 0;
        for (StreamState m = s; m != null; m = m.source) {
            long own = m.log.messagesUpTo(tail);
            if (own < 0) {
                return -1;
            }
            total += own;
            tail = m.forkPosition;
        }
        return total;
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** The validated parameters of one listing request. */
    private record Query(String prefix, int limit, String after) {
        static Query parse(Request request) {
            for (String name : request.query().keySet()) {
                if (!PARAMS.contains(name)) {
                    throw Problem.badRequest("invalid-parameter", "unknown parameter '" + Problem.clip(name)
                            + "'; the listing takes prefix, limit and after");
                }
                if (request.paramCount(name) > 1) {
                    throw Problem.badRequest("invalid-parameter", "parameter '" + name + "' is given more than once");
                }
            }
            String prefix = request.param("prefix");
            return new Query(prefix == null ? "" : prefix, limit(request.param("limit")), after(request.param("after")));
        }

        private static int limit(String text) {
            if (text == null) {
                return DEFAULT_LIMIT;
            }
            if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw Problem.badRequest("invalid-limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
            }
            int limit = Integer.parseInt(text);
            if (limit < 1 || limit > MAX_LIMIT) {
                throw Problem.badRequest("invalid-limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
            }
            return limit;
        }

        private static String after(String cursor) {
            if (cursor == null) {
                return null;
            }
            try {
                byte[] bytes = Base64.getUrlDecoder().decode(cursor);
                String name = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("empty");
                }
                return name;
            } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
                throw Problem.badRequest("invalid-cursor", "after is not a cursor this listing returned");
            }
        }

        static String cursor(String lastName) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
        }

        /** This page of {@code names}: those under the prefix, after the cursor, that the caller may read. */
        Page select(List<String> names, Request request) {
            Predicate<String> wanted = n -> n.startsWith(prefix) && !SubscriptionManager.isReserved(n)
                    && (after == null || NAME_ORDER.compare(n, after) > 0) && request.readScope().mayRead(n);
            List<String> selected = names.stream().filter(wanted).sorted(NAME_ORDER).limit(limit + 1L).toList();
            if (selected.size() <= limit) {
                return new Page(selected, null);
            }
            List<String> page = selected.subList(0, limit);
            return new Page(page, cursor(page.get(limit - 1)));
        }
    }
}
