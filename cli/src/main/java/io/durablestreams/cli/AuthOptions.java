package io.durablestreams.cli;

import io.durablestreams.server.auth.AuthConfig;
import io.durablestreams.server.auth.StaticToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Builds the server's authorization settings from {@code ds serve} options. */
final class AuthOptions {
    private AuthOptions() {}

    /** The auth configuration, or null when no credential option was given (no authentication). */
    static AuthConfig config(List<String> tokens, Path hs256SecretFile, Path rs256PublicKey) {
        if (tokens.isEmpty() && hs256SecretFile == null && rs256PublicKey == null) {
            return null;
        }
        List<StaticToken> parsed = new ArrayList<>();
        for (String t : tokens) {
            parsed.add(StaticToken.parse(t));
        }
        try {
            byte[] secret = hs256SecretFile == null ? null : Files.readAllBytes(hs256SecretFile);
            RSAPublicKey key = rs256PublicKey == null ? null : rsaPublicKey(Files.readString(rs256PublicKey));
            return new AuthConfig(parsed, secret, key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a JWT key file: " + e.getMessage(), e);
        }
    }

    /** Parses a PEM "PUBLIC KEY" (X.509 SubjectPublicKeyInfo) holding an RSA key. */
    static RSAPublicKey rsaPublicKey(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("the RS256 key must be a PEM \"PUBLIC KEY\" holding an RSA key", e);
        }
    }
}
