package io.durablestreams.engine.subscriptions;

import static io.durablestreams.engine.subscriptions.ControlResponses.error;
import static io.durablestreams.engine.subscriptions.ControlResponses.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.durablestreams.protocol.Offset;
import java.io.IOException;
import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The HTTP side of the reserved {@code __ds} namespace (PROTOCOL.md §6, §7): routes a request,
 * parses and validates its body, and answers. Creating, re-confirming and deleting subscriptions
 * and their explicit links happen here; wake operations (claim, ack, callback, release) go to
 * {@link Wakes}. Runs on the subscription thread.
 */
final class SubscriptionRoutes {
    private static final int MAX_ID_LENGTH = 256;

    private final SubscriptionRegistry registry;
    private final Cursors cursors;
    private final Wakes wakes;
    private final StreamDirectory streams;
    private final WebhookUrlPolicy policy;
    private final boolean webhooksEnabled;
    private final WebhookSigner signer;
    private final CallbackTokens tokens;
    private final LongSupplier clock;
    private final Supplier<String> publicRoot;
    private final ObjectMapper json;

    SubscriptionRoutes(SubscriptionRegistry registry, Cursors cursors, Wakes wakes, StreamDirectory streams,
                       WebhookUrlPolicy policy, boolean webhooksEnabled, WebhookSigner signer, CallbackTokens tokens,
                       LongSupplier clock, Supplier<String> publicRoot, ObjectMapper json) {
        this.registry = registry;
        this.cursors = cursors;
        this.wakes = wakes;
        this.streams = streams;
        this.policy = policy;
        this.webhooksEnabled = webhooksEnabled;
        this.signer = signer;
        this.tokens = tokens;
        this.clock = clock;
        this.publicRoot = publicRoot;
        this.json = json;
    }

    Response route(Request req) {
        String[] parts = req.stream().split("/", 4);
        String method = req.method();
        if (parts.length == 2 && parts[1].equals("jwks.json") && method.equals("GET")) {
            return new Response(200).header("content-type", "application/jwk-set+json")
                    .header("cache-control", "public, max-age=300").body(signer.jwks());
        }
        if (parts.length == 2 && parts[1].equals("subscriptions")) {
            return method.equals("GET") ? list(req)
                    : error(405, "METHOD_NOT_ALLOWED", method + " is not allowed here");
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
        } catch (IOException e) {
            throw new SubscriptionConfig.Invalid("INVALID_REQUEST", "the body is not valid JSON");
        }
    }

    private static String bearer(Request req) {
        String h = req.header("authorization");
        return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
    }

    // ---------------------------------------------------------------- subscriptions and links

    private Response put(String id, JsonNode body) throws SubscriptionConfig.Invalid {
        SubscriptionConfig config = SubscriptionConfig.parse(body, policy);
        String hash = config.hash(json);
        Subscription existing = registry.live(id);
        if (existing != null) {
            if (!existing.configHash.equals(hash)) {
                return error(409, "CONFLICT", "subscription " + id + " exists with a different configuration");
            }
            return json(200, view(existing));
        }
        if (config.isWebhook() && !webhooksEnabled) {
            return error(501, "NOT_IMPLEMENTED", "this server delivers no webhooks");
        }
        if (!config.isWebhook() && streams.tail(config.wakeStream()) == null) {
            return error(400, "WAKE_STREAM_NOT_FOUND", "wake stream " + clip(config.wakeStream())
                    + " does not exist; create it before the subscription");
        }
        Subscription s = new Subscription(id);
        Subscription tombstone = registry.get(id);
        s.generation = tombstone == null ? 0 : tombstone.generation;
        s.config = config;
        s.configHash = hash;
        s.createdAtMillis = clock.getAsLong();
        if (config.pattern() != null) {
            Glob glob = new Glob(config.pattern());
            for (String name : streams.names()) {
                if (glob.matches(name) && !SubscriptionManager.isReserved(name)) {
                    cursors.linkAtTail(s, name).glob = true;
                }
            }
        }
        for (String path : config.streams()) {
            cursors.linkAtTail(s, path).explicit = true;
        }
        registry.add(s);
        return json(201, view(s));
    }

    /**
     * Every live subscription the caller may read ({@code __ds/subscriptions/ID} in its read scope),
     * by id, with its delivery state: not in the protocol, for operators (docs/listing-api.md).
     */
    private Response list(Request req) {
        ArrayNode out = json.createArrayNode();
        registry.all().stream().filter(s -> !s.deleted && req.readScope().mayRead("__ds/subscriptions/" + s.id))
                .sorted(java.util.Comparator.comparing(s -> s.id))
                .forEach(s -> out.add(status(s)));
        ObjectNode body = json.createObjectNode();
        body.set("subscriptions", out);
        return json(200, body);
    }

    /** The view of {@link #get} plus where delivery stands. */
    private ObjectNode status(Subscription s) {
        ObjectNode n = view(s);
        n.put("generation", s.generation);
        n.put("pending_streams", cursors.pendingCount(s));
        if (s.wakeId != null) {
            ObjectNode wake = n.putObject("wake").put("wake_id", s.wakeId).put("holder", s.holder)
                    .put("lease_expires_at", s.holder != null ? Instant.ofEpochMilli(s.leaseExpiresAt).toString() : null);
            if (!s.isWebhook()) {
                wake.put("announced", s.wakeAnnounced);
            }
        } else {
            n.putNull("wake");
        }
        n.put("attempts", s.attempts);
        n.put("next_attempt_at", s.nextAttemptAt > 0 ? Instant.ofEpochMilli(s.nextAttemptAt).toString() : null);
        if (s.lastError != null) {
            n.putObject("last_error").put("message", s.lastError).put("at", Instant.ofEpochMilli(s.lastErrorAt).toString());
        } else {
            n.putNull("last_error");
        }
        return n;
    }

    private Response get(String id) {
        Subscription s = registry.live(id);
        return s == null ? notFound(id) : json(200, view(s));
    }

    private Response delete(String id) {
        Subscription s = registry.live(id);
        if (s == null) {
            return notFound(id);
        }
        wakes.delete(s);
        return new Response(204);
    }

    private Response addStreams(String id, JsonNode body) throws SubscriptionConfig.Invalid {
        Subscription s = registry.live(id);
        if (s == null) {
            return notFound(id);
        }
        for (String path : SubscriptionConfig.streams(body.get("streams"))) {
            Subscription.Link link = s.links.get(path);
            if (link == null) {
                link = cursors.linkAtTail(s, path);
            }
            link.explicit = true;
        }
        registry.persist(s);
        return new Response(204);
    }

    private Response removeStream(String id, String path) {
        Subscription s = registry.live(id);
        if (s == null) {
            return notFound(id);
        }
        Subscription.Link link = s.links.get(path);
        if (link != null) {
            link.explicit = false;
            Glob glob = registry.glob(id);
            if (!link.glob || glob == null || !glob.matches(path)) {
                s.links.remove(path);
            }
            registry.persist(s);
        }
        return new Response(204);
    }

    // ---------------------------------------------------------------- wakes

    private Response claim(String id, JsonNode body) {
        Subscription s = registry.live(id);
        if (s == null) {
            return notFound(id);
        }
        if (s.isWebhook()) {
            return error(400, "INVALID_REQUEST", "webhook subscriptions are not claimed");
        }
        Wakes.Claim claim = wakes.claim(s, body.path("worker").asText("worker"));
        if (claim.holder() != null) {
            ControlResponses.Problem busy = ControlResponses.problem(409, "ALREADY_CLAIMED",
                    "another worker holds the lease of subscription " + id);
            busy.error().put("current_holder", claim.holder()).put("generation", s.generation);
            return busy.response();
        }
        if (claim.snapshot() == null) {
            return new Response(204);
        }
        ObjectNode out = json.createObjectNode().put("wake_id", s.wakeId).put("generation", s.generation)
                .put("token", tokens.issue(s, clock.getAsLong()));
        out.set("streams", claim.snapshot());
        out.put("lease_ttl_ms", s.config.leaseTtlMs());
        return json(200, out);
    }

    private Response ack(String id, JsonNode body, String token) throws SubscriptionConfig.Invalid {
        Subscription s = registry.get(id);
        Response fenced = fenced(s, id, body, token);
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
        boolean nextWake = wakes.ack(s, acks, body.path("done").asBoolean(false));
        return json(200, json.createObjectNode().put("ok", true).put("next_wake", nextWake));
    }

    private Response release(String id, JsonNode body, String token) {
        Subscription s = registry.get(id);
        Response fenced = fenced(s, id, body, token);
        if (fenced != null) {
            return fenced;
        }
        wakes.release(s);
        return new Response(204);
    }

    /** The error answer when the request may not act on the current wake, or null if it may. */
    private Response fenced(Subscription s, String id, JsonNode body, String token) {
        return switch (wakes.fence(s, id, body, token)) {
            case CURRENT -> null;
            case UNAUTHORIZED -> error(401, "UNAUTHORIZED", "a valid callback or claim token is required");
            case FENCED -> error(409, "FENCED", "the wake is no longer current");
        };
    }

    // ---------------------------------------------------------------- views

    private ObjectNode view(Subscription s) {
        ObjectNode n = json.createObjectNode().put("id", s.id).put("subscription_id", s.id).put("type", s.config.type());
        n.put("pattern", s.config.pattern());
        n.set("streams", cursors.view(s));
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

    private static Response notFound(String id) {
        return error(404, "NOT_FOUND", "no subscription " + id);
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
