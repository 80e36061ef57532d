package io.durablestreams.engine.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * A subscription's configuration as the PUT body gives it (PROTOCOL.md §6.2), validated and
 * normalized; {@link #hash()} covers exactly the fields that decide idempotent re-confirmation.
 */
record SubscriptionConfig(String type, String pattern, List<String> streams, String webhookUrl, String wakeStream,
                          long leaseTtlMs, String description) {
    static final String WEBHOOK = "webhook";
    static final String PULL_WAKE = "pull-wake";
    /** {@value} */
    static final long DEFAULT_LEASE_TTL_MS = 30_000;
    static final long MIN_LEASE_TTL_MS = 1_000;
    static final long MAX_LEASE_TTL_MS = 600_000;
    static final int MAX_STREAMS = 10_000;

    /** A 400 with an error code, as subscription endpoints report errors. */
    static final class Invalid extends Exception {
        final String code;

        Invalid(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** Parses and validates a PUT body; the webhook URL is checked against {@code policy}. */
    static SubscriptionConfig parse(JsonNode body, WebhookUrlPolicy policy) throws Invalid {
        if (body == null || !body.isObject()) {
            throw new Invalid("INVALID_REQUEST", "the body must be a JSON object");
        }
        String type = text(body, "type");
        if (!WEBHOOK.equals(type) && !PULL_WAKE.equals(type)) {
            throw new Invalid("INVALID_REQUEST", "type must be \"webhook\" or \"pull-wake\"");
        }
        String pattern = text(body, "pattern");
        if (pattern != null && pattern.isEmpty()) {
            throw new Invalid("INVALID_REQUEST", "pattern must not be empty");
        }
        List<String> streams = streams(body.get("streams"));
        if (pattern == null && streams.isEmpty()) {
            throw new Invalid("INVALID_REQUEST", "at least one of pattern or streams is required");
        }
        String webhookUrl = null;
        String wakeStream = null;
        if (WEBHOOK.equals(type)) {
            JsonNode hook = body.get("webhook");
            webhookUrl = hook == null ? null : text(hook, "url");
            if (webhookUrl == null) {
                throw new Invalid("INVALID_REQUEST", "webhook.url is required for webhook subscriptions");
            }
            try {
                policy.check(webhookUrl);
            } catch (WebhookUrlPolicy.Rejected e) {
                throw new Invalid("WEBHOOK_URL_REJECTED", e.getMessage());
            }
        } else {
            wakeStream = text(body, "wake_stream");
            if (wakeStream == null || wakeStream.isEmpty()) {
                throw new Invalid("INVALID_REQUEST", "wake_stream is required for pull-wake subscriptions");
            }
        }
        long lease = DEFAULT_LEASE_TTL_MS;
        JsonNode l = body.get("lease_ttl_ms");
        if (l != null && !l.isNull()) {
            if (!l.canConvertToLong() || !l.isIntegralNumber() || l.asLong() < MIN_LEASE_TTL_MS || l.asLong() > MAX_LEASE_TTL_MS) {
                throw new Invalid("INVALID_REQUEST", "lease_ttl_ms must be an integer from " + MIN_LEASE_TTL_MS + " to " + MAX_LEASE_TTL_MS);
            }
            lease = l.asLong();
        }
        return new SubscriptionConfig(type, pattern, streams, webhookUrl, wakeStream, lease, text(body, "description"));
    }

    boolean isWebhook() {
        return WEBHOOK.equals(type);
    }

    static List<String> streams(JsonNode node) throws Invalid {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new Invalid("INVALID_REQUEST", "streams must be an array of stream paths");
        }
        if (node.size() > MAX_STREAMS) {
            throw new Invalid("INVALID_REQUEST", "at most " + MAX_STREAMS + " streams");
        }
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode n : node) {
            if (!n.isTextual() || n.asText().isEmpty()) {
                throw new Invalid("INVALID_REQUEST", "streams must contain non-empty strings");
            }
            String path = n.asText();
            out.add(path.startsWith("/") ? path.substring(1) : path);
        }
        return new ArrayList<>(out);
    }

    private static String text(JsonNode node, String field) throws Invalid {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new Invalid("INVALID_REQUEST", field + " must be a string");
        }
        return v.asText();
    }

    /** SHA-256 over the normalized configuration (type, pattern, streams, delivery, lease, description). */
    String hash(ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.put("type", type);
        n.put("pattern", pattern);
        n.set("streams", json.valueToTree(streams));
        n.put("webhook_url", webhookUrl);
        n.put("wake_stream", wakeStream);
        n.put("lease_ttl_ms", leaseTtlMs);
        n.put("description", description);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(n.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
