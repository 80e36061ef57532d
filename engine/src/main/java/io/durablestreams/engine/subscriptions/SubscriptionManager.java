package io.durablestreams.engine.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.durablestreams.engine.store.ControlStore;
import io.durablestreams.protocol.Offset;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Subscriptions (PROTOCOL.md §6, §7): the reserved {@code __ds} routes, stream links (glob and
 * explicit), wakes with generation fencing, webhook delivery with Ed25519 signatures and
 * persisted retry schedules, pull-wake claims with leases.
 *
 * <p>Threading: every state change runs on one manager thread, so subscription state needs no
 * locks; HTTP routes and stream-change notifications are handed to it. Every change is persisted
 * to the control store before it is acknowledged, so a restart resumes leases, wakes and retries.
 */
public final class SubscriptionManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SubscriptionManager.class.getName());
    private static final String PREFIX = "subscriptions/";
    /** Webhook retry backoff: {@value} ms doubling up to {@link #MAX_BACKOFF_MS}, ±20% jitter. */
    static final long MIN_BACKOFF_MS = 1_000;
    static final long MAX_BACKOFF_MS = 60_000;
    static final double JITTER = 0.2;
    static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(30);
    static final long TOKEN_LIFETIME_MS = 24 * 3600_000L;
    private static final int MAX_ID_LENGTH = 256;

    private final ObjectMapper json = new ObjectMapper();
    private final ControlStore store;
    private final StreamDirectory streams;
    private final LongSupplier clock;
    private final Supplier<String> publicRoot;
    private final ScheduledExecutorService thread;
    private final HttpClient http;
    private final WebhookSigner signer;
    private final CallbackTokens tokens;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final Map<String, Glob> globs = new HashMap<>();
    private final Map<String, ScheduledFuture<?>> timers = new HashMap<>();
    /** Live subscriptions; lets the append path skip the hand-off when there are none. */
    private volatile int liveCount;

    /**
     * @param publicRoot the stream root as clients reach it, e.g. {@code https://host/v1/stream/};
     *                   used for {@code callback_url} and {@code jwks_url}
     */
    public SubscriptionManager(ControlStore store, StreamDirectory streams, LongSupplier clockMillis, Supplier<String> publicRoot) {
        this.store = store;
        this.streams = streams;
        this.clock = clockMillis;
        this.publicRoot = publicRoot;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ds-subscriptions");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.signer = new WebhookSigner(store, clockMillis.getAsLong());
        this.tokens = new CallbackTokens(store);
        for (byte[] record : store.load(PREFIX).values()) {
            try {
                Subscription s = Subscription.fromJson(json.readTree(record));
                subscriptions.put(s.id, s);
                if (!s.deleted && s.config.pattern() != null) {
                    globs.put(s.id, new Glob(s.config.pattern()));
                }
            } catch (java.io.IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "skipping an unreadable subscription record", e);
            }
        }
        liveCount = (int) subscriptions.values().stream().filter(x -> !x.deleted).count();
        thread.execute(this::resume);
    }

    /** Whether a stream name addresses the reserved control namespace (PROTOCOL.md §6). */
    public static boolean isReserved(String stream) {
        return stream.equals("__ds") || stream.startsWith("__ds/");
    }

    /** Handles a request under {@code __ds/}; completes on the manager thread. */
    public CompletableFuture<Response> handle(Request req) {
        CompletableFuture<Response> out = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                out.complete(route(req));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "subscription request failed", e);
                out.complete(error(500, "INTERNAL", "the subscription request failed"));
            }
        });
        return out;
    }

    /** Called after a stream is created or its acknowledged tail advances. */
    public void streamChanged(String name) {
        if (liveCount > 0) {
            thread.execute(() -> onStreamChanged(name));
        }
    }

    /** Generates a new webhook signing key; old public keys stay in the JWKS. Returns the new kid. */
    public String rotateSigningKey() {
        return signer.rotate(clock.getAsLong());
    }

    // ---------------------------------------------------------------- routing

    private Response route(Request req) {
        String[] parts = req.stream().split("/", 4);
        String method = req.method();
        if (parts.length == 2 && parts[1].equals("jwks.json") && method.equals("GET")) {
            return new Response(200).header("content-type", "application/jwk-set+json")
                    .header("cache-control", "public, max-age=300").body(signer.jwks());
        }
        if (parts.length < 3 || !parts[1].equals("subscriptions") || parts[2].isEmpty() || parts[2].length() > MAX_ID_LENGTH) {
            return error(404, "NOT_FOUND", "no such control endpoint");
        }
        String id = parts[2];
        String rest = parts.length == 4 ? parts[3] : "";
        try {
            if (rest.isEmpty()) {
                return switch (method) {
                    case "PUT" -> put(id, body(req));
                    case "GET" -> get(id);
                    case "DELETE" -> delete(id);
                    default -> error(405, "METHOD_NOT_ALLOWED", method + " is not allowed here");
                };
            }
            if (rest.startsWith("streams/") && method.equals("DELETE")) {
                return removeStream(id, rest.substring("streams/".length()));
            }
            if (!method.equals("POST")) {
                return error(405, "METHOD_NOT_ALLOWED", method + " is not allowed here");
            }
            return switch (rest) {
                case "streams" -> addStreams(id, body(req));
                case "claim" -> claim(id, body(req));
                case "ack", "callback" -> ack(id, body(req), bearer(req));
                case "release" -> release(id, body(req), bearer(req));
                default -> error(404, "NOT_FOUND", "no such control endpoint");
            };
        } catch (SubscriptionConfig.Invalid e) {
            return error(400, e.code, e.getMessage());
        }
    }

    private JsonNode body(Request req) throws SubscriptionConfig.Invalid {
        if (req.body().length == 0) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(req.body());
        } catch (java.io.IOException e) {
            throw new SubscriptionConfig.Invalid("INVALID_REQUEST", "the body is not valid JSON");
        }
    }

    private static String bearer(Request req) {
        String h = req.header("authorization");
        return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
    }

    // ---------------------------------------------------------------- CRUD

    private Response put(String id, JsonNode body) throws SubscriptionConfig.Invalid {
        SubscriptionConfig config = SubscriptionConfig.parse(body);
        String hash = config.hash(json);
        Subscription existing = subscriptions.get(id);
        if (existing != null && !existing.deleted) {
            if (!existing.configHash.equals(hash)) {
                return error(409, "CONFLICT", "subscription " + id + " exists with a different configuration");
            }
            return new Response(200).header("content-type", "application/json").body(view(existing).toString());
        }
        Subscription s = new Subscription(id);
        s.generation = existing == null ? 0 : existing.generation;
        s.config = config;
        s.configHash = hash;
        s.createdAtMillis = clock.getAsLong();
        if (config.pattern() != null) {
            Glob glob = new Glob(config.pattern());
            globs.put(id, glob);
            for (String name : streams.names()) {
                if (glob.matches(name) && !isReserved(name)) {
                    linkAtTail(s, name).glob = true;
                }
            }
        }
        for (String path : config.streams()) {
            linkAtTail(s, path).explicit = true;
        }
        subscriptions.put(id, s);
        persist(s);
        return new Response(201).header("content-type", "application/json").body(view(s).toString());
    }

    private Response get(String id) {
        Subscription s = live(id);
        return s == null ? error(404, "NOT_FOUND", "no subscription " + id)
                : new Response(200).header("content-type", "application/json").body(view(s).toString());
    }

    private Response delete(String id) {
        Subscription s = live(id);
        if (s == null) {
            return error(404, "NOT_FOUND", "no subscription " + id);
        }
        s.deleted = true;
        s.config = null;
        s.links.clear();
        s.wakeId = null;
        s.holder = null;
        cancelTimer(id);
        globs.remove(id);
        persist(s);
        return new Response(204);
    }

    private Response addStreams(String id, JsonNode body) throws SubscriptionConfig.Invalid {
        Subscription s = live(id);
        if (s == null) {
            return error(404, "NOT_FOUND", "no subscription " + id);
        }
        for (String path : SubscriptionConfig.streams(body.get("streams"))) {
            Subscription.Link link = s.links.get(path);
            if (link == null) {
                link = linkAtTail(s, path);
            }
            link.explicit = true;
        }
        persist(s);
        return new Response(204);
    }

    private Response removeStream(String id, String path) {
        Subscription s = live(id);
        if (s == null) {
            return error(404, "NOT_FOUND", "no subscription " + id);
        }
        Subscription.Link link = s.links.get(path);
        if (link != null) {
            link.explicit = false;
            Glob glob = globs.get(id);
            if (!link.glob || glob == null || !glob.matches(path)) {
                s.links.remove(path);
            }
            persist(s);
        }
        return new Response(204);
    }

    // ---------------------------------------------------------------- delivery state machine

    private void onStreamChanged(String name) {
        if (isReserved(name)) {
            return;
        }
        for (Subscription s : subscriptions.values()) {
            if (s.deleted) {
                continue;
            }
            boolean linked = s.links.containsKey(name);
            Glob glob = globs.get(s.id);
            if (!linked && glob != null && glob.matches(name)) {
                // discovered by its first change: link before that change, so it counts as pending work
                Subscription.Link link = new Subscription.Link();
                link.glob = true;
                s.links.put(name, link);
                linked = true;
                persist(s);
            }
            if (linked && s.idle() && hasPending(s)) {
                newWake(s);
            }
        }
    }

    private Subscription.Link linkAtTail(Subscription s, String path) {
        Subscription.Link link = new Subscription.Link();
        StreamDirectory.Tail tail = streams.tail(path);
        if (tail != null) {
            link.ackedIncarnation = tail.incarnation();
            link.ackedPosition = tail.position();
            link.ackedOffset = tail.offset();
        }
        s.links.put(path, link);
        return link;
    }

    private boolean pending(Subscription.Link link, StreamDirectory.Tail tail) {
        if (tail == null) {
            return false;
        }
        long acked = tail.incarnation() == link.ackedIncarnation ? link.ackedPosition : 0;
        return tail.position() > acked;
    }

    private boolean hasPending(Subscription s) {
        for (Map.Entry<String, Subscription.Link> e : s.links.entrySet()) {
            if (pending(e.getValue(), streams.tail(e.getKey()))) {
                return true;
            }
        }
        return false;
    }

    private void newWake(Subscription s) {
        s.generation++;
        s.wakeId = "w_" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        s.wakeAnnounced = false;
        s.holder = null;
        s.snapshot.clear();
        s.attempts = 0;
        s.nextAttemptAt = 0;
        persist(s);
        if (s.isWebhook()) {
            deliver(s);
        } else {
            announce(s);
        }
    }

    /** Snapshot of every linked stream for a wake or claim, remembering the tails it shows. */
    private ArrayNode streamsSnapshot(Subscription s) {
        ArrayNode out = json.createArrayNode();
        s.snapshot.clear();
        s.links.forEach((path, link) -> {
            StreamDirectory.Tail tail = streams.tail(path);
            if (tail == null) {
                return;
            }
            s.snapshot.put(path, tail.offset());
            out.addObject().put("path", path).put("link_type", link.type()).put("acked_offset", ackedOffset(link, tail))
                    .put("tail_offset", tail.offset()).put("has_pending", pending(link, tail));
        });
        return out;
    }

    private static String ackedOffset(Subscription.Link link, StreamDirectory.Tail tail) {
        return tail != null && tail.incarnation() != link.ackedIncarnation ? "-1" : link.ackedOffset;
    }

    // --- pull-wake

    private void announce(Subscription s) {
        String wakeId = s.wakeId;
        String stream = null;
        for (Map.Entry<String, Subscription.Link> e : s.links.entrySet()) {
            if (pending(e.getValue(), streams.tail(e.getKey()))) {
                stream = e.getKey();
                break;
            }
        }
        ObjectNode event = json.createObjectNode().put("type", "wake").put("subscription_id", s.id).put("stream", stream)
                .put("generation", s.generation).put("ts", clock.getAsLong());
        streams.appendJson(s.config.wakeStream(), event.toString()).whenCompleteAsync((ok, err) -> {
            if (s.deleted || !wakeId.equals(s.wakeId)) {
                return;
            }
            if (err == null && Boolean.TRUE.equals(ok)) {
                s.wakeAnnounced = true;
                persist(s);
            } else {
                LOG.log(System.Logger.Level.WARNING, "could not write wake event of subscription " + s.id
                        + " to " + s.config.wakeStream() + "; retrying on the next change");
                s.wakeId = null;
                persist(s);
            }
        }, thread);
    }

    private Response claim(String id, JsonNode body) {
        Subscription s = live(id);
        if (s == null) {
            return error(404, "NOT_FOUND", "no subscription " + id);
        }
        if (s.isWebhook()) {
            return error(400, "INVALID_REQUEST", "webhook subscriptions are not claimed");
        }
        String worker = body.path("worker").asText("worker");
        long now = clock.getAsLong();
        if (s.holder != null && s.leaseExpiresAt > now) {
            ObjectNode err = json.createObjectNode();
            err.putObject("error").put("code", "ALREADY_CLAIMED").put("current_holder", s.holder).put("generation", s.generation);
            return new Response(409).header("content-type", "application/json").body(err.toString());
        }
        if (s.wakeId == null || s.holder != null) {
            if (!hasPending(s)) {
                return new Response(204);
            }
            s.generation++;
            s.wakeId = "w_" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
            s.wakeAnnounced = true;
        }
        s.holder = worker;
        s.leaseExpiresAt = now + s.config.leaseTtlMs();
        ArrayNode snapshot = streamsSnapshot(s);
        persist(s);
        scheduleLeaseExpiry(s);
        ObjectNode out = json.createObjectNode().put("wake_id", s.wakeId).put("generation", s.generation)
                .put("token", token(s));
        out.set("streams", snapshot);
        out.put("lease_ttl_ms", s.config.leaseTtlMs());
        return new Response(200).header("content-type", "application/json").body(out.toString());
    }

    // --- webhooks

    private void deliver(Subscription s) {
        if (s.deleted || s.wakeId == null) {
            return;
        }
        URI uri;
        try {
            uri = WebhookUrlPolicy.check(s.config.webhookUrl());
            WebhookUrlPolicy.checkResolved(uri);
        } catch (WebhookUrlPolicy.Rejected e) {
            LOG.log(System.Logger.Level.WARNING, "webhook of subscription " + s.id + " rejected: " + e.getMessage());
            scheduleRetry(s);
            return;
        }
        ObjectNode payload = json.createObjectNode().put("subscription_id", s.id).put("wake_id", s.wakeId)
                .put("generation", s.generation);
        payload.set("streams", streamsSnapshot(s));
        payload.put("callback_url", publicRoot.get() + "__ds/subscriptions/" + s.id + "/callback");
        payload.put("callback_token", token(s));
        persist(s);
        byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
        long now = clock.getAsLong();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(WEBHOOK_TIMEOUT)
                .header("content-type", "application/json")
                .header("webhook-signature", signer.sign(now / 1000, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        String wakeId = s.wakeId;
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .whenCompleteAsync((response, err) -> delivered(s, wakeId, response, err), thread);
    }

    private void delivered(Subscription s, String wakeId, HttpResponse<byte[]> response, Throwable err) {
        if (s.deleted || !wakeId.equals(s.wakeId)) {
            return;
        }
        if (err != null || response.statusCode() / 100 != 2) {
            LOG.log(System.Logger.Level.INFO, "webhook of subscription " + s.id + " failed: "
                    + (err != null ? err.toString() : "status " + response.statusCode()));
            scheduleRetry(s);
            return;
        }
        s.failed = false;
        s.attempts = 0;
        s.nextAttemptAt = 0;
        boolean done = false;
        try {
            done = response.body().length > 0 && json.readTree(response.body()).path("done").asBoolean(false);
        } catch (java.io.IOException ignored) {
            // a non-JSON 2xx answer means "accepted, will call back"
        }
        if (done) {
            s.snapshot.forEach((path, offset) -> applyAck(s, path, offset));
            finishWake(s);
            return;
        }
        s.holder = "webhook";
        s.leaseExpiresAt = clock.getAsLong() + s.config.leaseTtlMs();
        persist(s);
        scheduleLeaseExpiry(s);
    }

    private void scheduleRetry(Subscription s) {
        s.failed = true;
        s.attempts++;
        long base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(16, s.attempts - 1));
        long delay = Math.round(base * (1 - JITTER + 2 * JITTER * random.nextDouble()));
        s.nextAttemptAt = clock.getAsLong() + delay;
        persist(s);
        schedule(s, delay, () -> deliver(s));
    }

    // --- acks, release, leases

    private Response ack(String id, JsonNode body, String token) throws SubscriptionConfig.Invalid {
        Subscription s = subscriptions.get(id);
        Response fenced = checkFence(s, id, body, token);
        if (fenced != null) {
            return fenced;
        }
        JsonNode acks = body.path("acks");
        if (!acks.isMissingNode() && !acks.isArray()) {
            throw new SubscriptionConfig.Invalid("INVALID_REQUEST", "acks must be an array");
        }
        for (JsonNode a : acks) {
            String path = a.path("stream").asText(null);
            String offset = a.path("offset").asText(null);
            if (path == null || offset == null || !s.links.containsKey(path)) {
                throw new SubscriptionConfig.Invalid("INVALID_REQUEST", "each ack needs a linked stream and an offset");
            }
            if (Offset.parse(offset) == null) {
                throw new SubscriptionConfig.Invalid("INVALID_REQUEST", "not an offset: " + offset);
            }
        }
        acks.forEach(a -> applyAck(s, a.get("stream").asText(), a.get("offset").asText()));
        boolean nextWake = false;
        if (body.path("done").asBoolean(false)) {
            nextWake = finishWake(s);
        } else {
            s.leaseExpiresAt = clock.getAsLong() + s.config.leaseTtlMs();
            persist(s);
            scheduleLeaseExpiry(s);
        }
        ObjectNode out = json.createObjectNode().put("ok", true).put("next_wake", nextWake);
        return new Response(200).header("content-type", "application/json").body(out.toString());
    }

    private Response release(String id, JsonNode body, String token) {
        Subscription s = subscriptions.get(id);
        Response fenced = checkFence(s, id, body, token);
        if (fenced != null) {
            return fenced;
        }
        finishWake(s);
        return new Response(204);
    }

    /** Ends the current wake and lease; starts the next wake if work remains. Returns whether it did. */
    private boolean finishWake(Subscription s) {
        s.wakeId = null;
        s.holder = null;
        s.leaseExpiresAt = 0;
        s.snapshot.clear();
        cancelTimer(s.id);
        boolean next = hasPending(s);
        if (next) {
            newWake(s);
        } else {
            persist(s);
        }
        return next;
    }

    private void applyAck(Subscription s, String path, String offsetText) {
        Subscription.Link link = s.links.get(path);
        Offset offset = Offset.parse(offsetText);
        StreamDirectory.Tail tail = streams.tail(path);
        if (link == null || offset == null || tail == null) {
            return;
        }
        long position = Math.min(offset.position(), tail.position());
        boolean sameStream = link.ackedIncarnation == tail.incarnation();
        if (!sameStream || position > link.ackedPosition) {
            link.ackedIncarnation = tail.incarnation();
            link.ackedPosition = position;
            link.ackedOffset = position == tail.position() ? tail.offset() : offsetText;
        }
    }

    /** Validates token, generation and wake id (PROTOCOL.md §7.3); null when the request may proceed. */
    private Response checkFence(Subscription s, String id, JsonNode body, String token) {
        CallbackTokens.Claims claims = token == null ? null : tokens.verify(token);
        if (claims == null || !claims.subscription().equals(id) || claims.expiresMillis() < clock.getAsLong()) {
            return error(401, "UNAUTHORIZED", "a valid callback or claim token is required");
        }
        boolean current = s != null && !s.deleted && s.wakeId != null
                && claims.generation() == s.generation && claims.wakeId().equals(s.wakeId)
                && body.path("generation").asLong(-1) == s.generation
                && s.wakeId.equals(body.path("wake_id").asText(null));
        return current ? null : error(409, "FENCED", "the wake is no longer current");
    }

    private void scheduleLeaseExpiry(Subscription s) {
        long generation = s.generation;
        schedule(s, Math.max(0, s.leaseExpiresAt - clock.getAsLong()), () -> {
            if (s.deleted || s.generation != generation || s.holder == null || s.leaseExpiresAt > clock.getAsLong()) {
                return;
            }
            LOG.log(System.Logger.Level.INFO, "lease of subscription " + s.id + " expired (holder " + s.holder + ")");
            finishWake(s);
        });
    }

    /** After a restart: re-arm leases and retries, re-send wakes that were in flight. */
    private void resume() {
        long now = clock.getAsLong();
        for (Subscription s : subscriptions.values()) {
            if (s.deleted) {
                continue;
            }
            if (s.holder != null) {
                scheduleLeaseExpiry(s);
            } else if (s.wakeId != null && s.isWebhook()) {
                schedule(s, Math.max(0, s.nextAttemptAt - now), () -> deliver(s));
            } else if (s.wakeId != null && !s.wakeAnnounced) {
                announce(s);
            } else if (s.wakeId == null && hasPending(s)) {
                newWake(s);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private String token(Subscription s) {
        return tokens.issue(new CallbackTokens.Claims(s.id, s.generation, s.wakeId, clock.getAsLong() + TOKEN_LIFETIME_MS));
    }

    private Subscription live(String id) {
        Subscription s = subscriptions.get(id);
        return s == null || s.deleted ? null : s;
    }

    private void schedule(Subscription s, long delayMillis, Runnable task) {
        cancelTimer(s.id);
        timers.put(s.id, thread.schedule(task, delayMillis, TimeUnit.MILLISECONDS));
    }

    private void cancelTimer(String id) {
        ScheduledFuture<?> f = timers.remove(id);
        if (f != null) {
            f.cancel(false);
        }
    }

    private void persist(Subscription s) {
        store.put(PREFIX + s.id, s.toJson(json).toString().getBytes(StandardCharsets.UTF_8));
        liveCount = (int) subscriptions.values().stream().filter(x -> !x.deleted).count();
    }

    private ObjectNode view(Subscription s) {
        ObjectNode n = json.createObjectNode().put("id", s.id).put("subscription_id", s.id).put("type", s.config.type());
        n.put("pattern", s.config.pattern());
        ArrayNode links = n.putArray("streams");
        s.links.forEach((path, link) -> links.addObject().put("path", path).put("link_type", link.type())
                .put("acked_offset", ackedOffset(link, streams.tail(path))));
        if (s.isWebhook()) {
            ObjectNode hook = n.putObject("webhook").put("url", s.config.webhookUrl());
            hook.putObject("signing").put("alg", "ed25519").put("kid", signer.activeKid())
                    .put("jwks_url", publicRoot.get() + "__ds/jwks.json");
        } else {
            n.putNull("webhook");
        }
        n.put("wake_stream", s.config.wakeStream());
        n.put("lease_ttl_ms", s.config.leaseTtlMs());
        n.put("created_at", Instant.ofEpochMilli(s.createdAtMillis).toString());
        n.put("status", s.failed ? "failed" : "active");
        n.put("description", s.config.description());
        return n;
    }

    private Response error(int status, String code, String message) {
        ObjectNode n = json.createObjectNode();
        n.putObject("error").put("code", code).put("message", message);
        return new Response(status).header("content-type", "application/json").body(n.toString());
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
