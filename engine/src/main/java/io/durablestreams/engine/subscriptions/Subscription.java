package io.durablestreams.engine.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One subscription's durable state (PROTOCOL.md §6–§7): configuration, stream links with their
 * acknowledged positions, the current wake (generation, id, snapshot), the lease, the retry
 * schedule, and (with a shared control store) the claim on the attempt in flight. Owned by the
 * subscription thread; persisted as JSON after each change, and re-read in place ({@link #read})
 * when another node may have changed it.
 */
final class Subscription {
    /** A linked stream and how far it has been acknowledged. */
    static final class Link {
        boolean glob;
        boolean explicit;
        /** Incarnation of the stream the ack refers to; a recreated stream starts over. */
        long ackedIncarnation;
        long ackedPosition;
        String ackedOffset = "-1";

        String type() {
            return explicit ? "explicit" : "glob";
        }
    }

    final String id;
    SubscriptionConfig config;
    String configHash;
    long createdAtMillis;
    final Map<String, Link> links = new TreeMap<>();
    long generation;
    String wakeId;
    /** For pull-wake: whether the current wake's event reached the wake stream. */
    boolean wakeAnnounced;
    String holder;
    long leaseExpiresAt;
    final Map<String, String> snapshot = new LinkedHashMap<>();
    int attempts;
    long nextAttemptAt;
    boolean failed;
    /** Why the latest failed delivery attempt failed, and when (kept after a success, for operators); null if none failed. */
    String lastError;
    long lastErrorAt;
    /** Shared control store only: which node's delivery attempt of the current wake is in flight, and until when ({@link Attempts}). */
    String attemptBy;
    long attemptUntil;
    boolean deleted;

    Subscription(String id) {
        this.id = id;
    }

    boolean isWebhook() {
        return config.isWebhook();
    }

    boolean idle() {
        return wakeId == null && holder == null;
    }

    ObjectNode toJson(ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.put("id", id);
        n.put("deleted", deleted);
        n.put("generation", generation);
        if (config != null) {
            ObjectNode c = n.putObject("config");
            c.put("type", config.type());
            c.put("pattern", config.pattern());
            c.set("streams", json.valueToTree(config.streams()));
            c.put("webhook_url", config.webhookUrl());
            c.put("wake_stream", config.wakeStream());
            c.put("lease_ttl_ms", config.leaseTtlMs());
            c.put("description", config.description());
            n.put("config_hash", configHash);
            n.put("created_at", createdAtMillis);
            ArrayNode ls = n.putArray("links");
            links.forEach((path, l) -> ls.addObject().put("path", path).put("glob", l.glob).put("explicit", l.explicit)
                    .put("acked_incarnation", l.ackedIncarnation).put("acked_position", l.ackedPosition)
                    .put("acked_offset", l.ackedOffset));
            n.put("wake_id", wakeId);
            n.put("wake_announced", wakeAnnounced);
            n.put("holder", holder);
            n.put("lease_expires_at", leaseExpiresAt);
            n.set("snapshot", json.valueToTree(snapshot));
            n.put("attempts", attempts);
            n.put("next_attempt_at", nextAttemptAt);
            n.put("failed", failed);
            if (lastError != null) {
                n.put("last_error", lastError);
                n.put("last_error_at", lastErrorAt);
            }
            if (attemptBy != null) {
                n.put("attempt_by", attemptBy);
                n.put("attempt_until", attemptUntil);
            }
        }
        return n;
    }

    static Subscription fromJson(JsonNode n) {
        Subscription s = new Subscription(n.get("id").asText());
        s.read(n);
        return s;
    }

    /**
     * Replaces every field with the record's ({@link #toJson}'s form, same id), so that whoever
     * holds this object (a timer, a delivery in flight) sees what the record says now.
     */
    void read(JsonNode n) {
        deleted = n.path("deleted").asBoolean();
        generation = n.path("generation").asLong();
        links.clear();
        snapshot.clear();
        JsonNode c = n.get("config");
        if (c == null || c.isNull()) {
            config = null;
            configHash = null;
            createdAtMillis = 0;
            wakeId = null;
            wakeAnnounced = false;
            holder = null;
            leaseExpiresAt = 0;
            attempts = 0;
            nextAttemptAt = 0;
            failed = false;
            lastError = null;
            lastErrorAt = 0;
            attemptBy = null;
            attemptUntil = 0;
            return;
        }
        List<String> streams = new ArrayList<>();
        c.path("streams").forEach(x -> streams.add(x.asText()));
        config = new SubscriptionConfig(c.get("type").asText(), textOrNull(c, "pattern"), streams,
                textOrNull(c, "webhook_url"), textOrNull(c, "wake_stream"), c.path("lease_ttl_ms").asLong(),
                textOrNull(c, "description"));
        configHash = n.path("config_hash").asText();
        createdAtMillis = n.path("created_at").asLong();
        for (JsonNode l : n.path("links")) {
            Link link = new Link();
            link.glob = l.path("glob").asBoolean();
            link.explicit = l.path("explicit").asBoolean();
            link.ackedIncarnation = l.path("acked_incarnation").asLong();
            link.ackedPosition = l.path("acked_position").asLong();
            link.ackedOffset = l.path("acked_offset").asText("-1");
            links.put(l.get("path").asText(), link);
        }
        wakeId = textOrNull(n, "wake_id");
        wakeAnnounced = n.path("wake_announced").asBoolean();
        holder = textOrNull(n, "holder");
        leaseExpiresAt = n.path("lease_expires_at").asLong();
        n.path("snapshot").fields().forEachRemaining(e -> snapshot.put(e.getKey(), e.getValue().asText()));
        attempts = n.path("attempts").asInt();
        nextAttemptAt = n.path("next_attempt_at").asLong();
        failed = n.path("failed").asBoolean();
        lastError = textOrNull(n, "last_error");
        lastErrorAt = n.path("last_error_at").asLong();
        attemptBy = textOrNull(n, "attempt_by");
        attemptUntil = n.path("attempt_until").asLong();
    }

    private static String textOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
