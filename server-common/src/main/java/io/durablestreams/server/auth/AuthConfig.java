package io.durablestreams.server.auth;

import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Accepted credentials: static bearer tokens, and JWTs signed with HS256 (shared secret) or
 * RS256 (public key). A JWT's {@code ds_read} and {@code ds_write} claims list the stream-name
 * prefixes it may read and write; {@code exp} and {@code nbf} are enforced.
 *
 * <p>{@code metricsToken}, when set, is the one bearer token {@code /metrics} accepts. Without it,
 * {@code /metrics} accepts any credential the stream endpoints accept (whatever its grants), and is
 * open only when the stream endpoints are open too: with authentication on, nothing is served
 * anonymously but the health checks.
 */
public record AuthConfig(List<StaticToken> tokens, byte[] hs256Secret, RSAPublicKey rs256Key, String metricsToken) {
    public static final String READ_CLAIM = "ds_read";
    public static final String WRITE_CLAIM = "ds_write";
    /** HS256 needs a secret of at least 256 bits. */
    public static final int MIN_HS256_SECRET_BYTES = 32;

    public AuthConfig {
        tokens = List.copyOf(tokens);
        Set<String> seen = new HashSet<>();
        for (StaticToken t : tokens) {
            if (!seen.add(t.token())) {
                throw new IllegalArgumentException("the same token is configured twice (" + t + "); give each token once");
            }
        }
        if (hs256Secret != null && hs256Secret.length < MIN_HS256_SECRET_BYTES) {
            throw new IllegalArgumentException("the HS256 secret must be at least " + MIN_HS256_SECRET_BYTES
                    + " bytes, got " + hs256Secret.length);
        }
        if (metricsToken != null && (metricsToken.isEmpty() || metricsToken.chars().anyMatch(Character::isWhitespace))) {
            throw new IllegalArgumentException("the metrics token must be non-empty and without whitespace");
        }
    }

    /** Stream authorization only; {@code /metrics} accepts the same credentials. */
    public AuthConfig(List<StaticToken> tokens, byte[] hs256Secret, RSAPublicKey rs256Key) {
        this(tokens, hs256Secret, rs256Key, null);
    }

    /**
     * The HS256 secret held in a file of {@code --jwt-hs256-secret-file}: its bytes without one
     * trailing line end ({@code \n} or {@code \r\n}). {@code echo secret > file}, editors and
     * {@code openssl rand -base64 48 > file} all end the file with one, and nobody means it as part of
     * the secret. Only that one line end goes: every other byte, whitespace included, is kept, so a
     * secret is exactly the file minus its last line end, never silently shortened further (trimming
     * all whitespace would change binary secrets, and a JWT issuer reading the same file must agree
     * on the bytes).
     */
    public static byte[] hs256SecretFromFile(byte[] file) {
        int end = file.length;
        if (end > 0 && file[end - 1] == '\n') {
            end--;
            if (end > 0 && file[end - 1] == '\r') {
                end--;
            }
        }
        return Arrays.copyOf(file, end);
    }

    public boolean acceptsJwt() {
        return hs256Secret != null || rs256Key != null;
    }

    /** Whether stream requests need credentials (false when only {@code /metrics} is protected). */
    public boolean protectsStreams() {
        return !tokens.isEmpty() || acceptsJwt();
    }
}
