package io.durablestreams.engine.subscriptions;

import io.durablestreams.engine.store.ControlStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Callback and claim tokens (PROTOCOL.md §7.1, §12.9): HMAC-SHA256-signed, scoped to one
 * subscription, generation and wake, with an expiry. The secret is persisted in the control store
 * so tokens survive a restart. Thread-safe.
 */
final class CallbackTokens {
    private static final String KEY = "keys/callback-hmac";
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();
    static final long LIFETIME_MS = 24 * 3600_000L;

    /** What a valid token vouches for. */
    record Claims(String subscription, long generation, String wakeId, long expiresMillis) {}

    private final byte[] secret;

    CallbackTokens(ControlStore store) {
        byte[] s = store.load(KEY).get(KEY);
        if (s == null) {
            s = new byte[32];
            new SecureRandom().nextBytes(s);
            store.put(KEY, s);
        }
        this.secret = s;
    }

    /** A token for the subscription's current wake, valid for {@value #LIFETIME_MS} ms. */
    String issue(Subscription s, long nowMillis) {
        return issue(new Claims(s.id, s.generation, s.wakeId, nowMillis + LIFETIME_MS));
    }

    String issue(Claims c) {
        String payload = ENC.encodeToString((c.subscription().length() + ":" + c.subscription() + ":" + c.generation() + ":"
                + c.wakeId() + ":" + c.expiresMillis()).getBytes(StandardCharsets.UTF_8));
        return payload + "." + ENC.encodeToString(mac(payload));
    }

    /** The claims of a genuine token, or null (tampered, malformed). Expiry is the caller's check. */
    Claims verify(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        String payload = token.substring(0, dot);
        try {
            if (!MessageDigest.isEqual(mac(payload), DEC.decode(token.substring(dot + 1)))) {
                return null;
            }
            String text = new String(DEC.decode(payload), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            int idLength = Integer.parseInt(text.substring(0, colon));
            String id = text.substring(colon + 1, colon + 1 + idLength);
            String[] rest = text.substring(colon + 2 + idLength).split(":");
            return new Claims(id, Long.parseLong(rest[0]), rest[1], Long.parseLong(rest[2]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret, "HmacSHA256"));
            return m.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
