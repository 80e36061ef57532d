package io.durablestreams.engine.subscriptions;

import io.durablestreams.engine.store.ControlStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The server's Ed25519 webhook signing keys (PROTOCOL.md §6.5, §7.1). Keys are persisted in the
 * control store; {@code kid} is {@code ds_} + the RFC 7638 JWK thumbprint, so it is stable for the
 * key's lifetime. After {@link #rotate()} the old public keys stay in the JWKS. With a shared
 * control store the keys are read again before each use, so a rotation on one node reaches every
 * node. Thread-safe.
 */
final class WebhookSigner {
    private static final String PREFIX = "keys/webhook/";
    private static final int RAW_KEY_BYTES = 32;
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private record Key(String kid, PrivateKey privateKey, byte[] rawPublic, long createdMillis) {}

    private final ControlStore store;
    /** Oldest first: the last one is active. */
    private final List<Key> keys = new ArrayList<>();

    WebhookSigner(ControlStore store, long nowMillis) {
        this.store = store;
        load();
        if (keys.isEmpty()) {
            rotate(nowMillis);
        }
    }

    /** Adds the stored keys not known yet (keys are never removed). */
    private void load() {
        Map<String, byte[]> saved = store.load(PREFIX);
        if (saved.size() == keys.size()) {
            return;
        }
        for (Map.Entry<String, byte[]> e : saved.entrySet()) {
            String kid = e.getKey().substring(PREFIX.length());
            if (keys.stream().noneMatch(k -> k.kid.equals(kid))) {
                keys.add(decode(e.getValue()));
            }
        }
        keys.sort((a, b) -> Long.compare(a.createdMillis, b.createdMillis));
    }

    /** With a shared control store: the keys another node added since. */
    private void refresh() {
        if (store.shared()) {
            load();
        }
    }

    /** Generates a new active key; older public keys remain published. */
    synchronized String rotate(long nowMillis) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] raw = rawPublic(pair.getPublic());
            Key key = new Key(kid(raw), pair.getPrivate(), raw, nowMillis);
            store.put(PREFIX + key.kid, encode(key));
            keys.add(key);
            return key.kid;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JVM", e);
        }
    }

    synchronized String activeKid() {
        refresh();
        return keys.get(keys.size() - 1).kid;
    }

    /** The {@code Webhook-Signature} header value for {@code body} sent at {@code unixSeconds}. */
    synchronized String sign(long unixSeconds, byte[] body) {
        refresh();
        Key key = keys.get(keys.size() - 1);
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key.privateKey);
            s.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            s.update(body);
            return "t=" + unixSeconds + ",kid=" + key.kid + ",ed25519=" + B64URL.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /** The JWK Set of every key, newest last. */
    synchronized String jwks() {
        refresh();
        StringBuilder sb = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < keys.size(); i++) {
            Key k = keys.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"").append(k.kid)
                    .append("\",\"use\":\"sig\",\"alg\":\"EdDSA\",\"x\":\"").append(B64URL.encodeToString(k.rawPublic))
                    .append("\"}");
        }
        return sb.append("]}").toString();
    }

    static String kid(byte[] rawPublic) {
        String canonical = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + B64URL.encodeToString(rawPublic) + "\"}";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.US_ASCII));
            return "ds_" + B64URL.encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] rawPublic(PublicKey key) {
        byte[] x509 = key.getEncoded();
        return Arrays.copyOfRange(x509, x509.length - RAW_KEY_BYTES, x509.length);
    }

    /** Stored form: created millis (8 bytes), X.509 public key length (2) and bytes, PKCS#8 private key. */
    private static byte[] encode(Key k) throws GeneralSecurityException {
        byte[] pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509(k.rawPublic))).getEncoded();
        byte[] priv = k.privateKey.getEncoded();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 2 + pub.length + priv.length);
        b.putLong(k.createdMillis).putShort((short) pub.length).put(pub).put(priv);
        return b.array();
    }

    private static Key decode(byte[] record) {
        try {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(record);
            long created = b.getLong();
            byte[] pub = new byte[b.getShort()];
            b.get(pub);
            byte[] priv = new byte[b.remaining()];
            b.get(priv);
            KeyFactory f = KeyFactory.getInstance("Ed25519");
            byte[] raw = rawPublic(f.generatePublic(new X509EncodedKeySpec(pub)));
            return new Key(kid(raw), f.generatePrivate(new PKCS8EncodedKeySpec(priv)), raw, created);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("stored webhook signing key is corrupt", e);
        }
    }

    /** SubjectPublicKeyInfo for a raw Ed25519 key (RFC 8410): fixed 12-byte prefix. */
    private static byte[] x509(byte[] raw) {
        byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
        byte[] out = Arrays.copyOf(prefix, prefix.length + raw.length);
        System.arraycopy(raw, 0, out, prefix.length, raw.length);
        return out;
    }
}
