package io.durablestreams.cli;

import io.durablestreams.server.auth.AuthConfig;
import io.durablestreams.server.auth.StaticToken;
import java.nio.charset.StandardCharsets;
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

    /**
     * The auth configuration, or null when no credential option was given (no authentication).
     *
     * @throws CliException (usage) when a key file cannot be read
     * @throws IllegalArgumentException when a token spec or key is unusable
     */
    static AuthConfig config(List<String> tokens, Path hs256SecretFile, Path rs256PublicKey, String metricsToken) {
        if (tokens.isEmpty() && hs256SecretFile == null && rs256PublicKey == null && metricsToken == null) {
            return null;
        }
        List<StaticToken> parsed = new ArrayList<>();
        for (String t : tokens) {
            parsed.add(StaticToken.parse(t));
        }
        byte[] secret = hs256SecretFile == null ? null
                : AuthConfig.hs256SecretFromFile(OptionFiles.read(hs256SecretFile, "--jwt-hs256-secret-file"));
        RSAPublicKey key = rs256PublicKey == null ? null
                : rsaPublicKey(new String(OptionFiles.read(rs256PublicKey, "--jwt-rs256-public-key"), StandardCharsets.UTF_8));
        return new AuthConfig(parsed, secret, key, metricsToken);
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
