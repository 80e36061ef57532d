package io.durablestreams.server.auth;

import java.security.interfaces.RSAPublicKey;
import java.util.List;

/**
 * Accepted credentials: static bearer tokens, and JWTs signed with HS256 (shared secret) or
 * RS256 (public key). A JWT's {@code ds_read} and {@code ds_write} claims list the stream-name
 * prefixes it may read and write; {@code exp} and {@code nbf} are enforced.
 */
public record AuthConfig(List<StaticToken> tokens, byte[] hs256Secret, RSAPublicKey rs256Key) {
    public static final String READ_CLAIM = "ds_read";
    public static final String WRITE_CLAIM = "ds_write";
    /** HS256 needs a secret of at least 256 bits. */
    public static final int MIN_HS256_SECRET_BYTES = 32;

    public AuthConfig {
        tokens = List.copyOf(tokens);
        if (hs256Secret != null && hs256Secret.length < MIN_HS256_SECRET_BYTES) {
            throw new IllegalArgumentException("the HS256 secret must be at least " + MIN_HS256_SECRET_BYTES
                    + " bytes, got " + hs256Secret.length);
        }
    }

    public boolean acceptsJwt() {
        return hs256Secret != null || rs256Key != null;
    }
}
