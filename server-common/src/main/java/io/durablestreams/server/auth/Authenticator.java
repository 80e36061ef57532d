package io.durablestreams.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.LongSupplier;

/** Turns an {@code Authorization} header into a {@link Grant}. Thread-safe. */
public final class Authenticator {
    /** Tolerated clock skew for {@code exp}/{@code nbf}: {@value} ms. */
    static final long CLOCK_SKEW_MILLIS = 30_000;

    private final AuthConfig config;
    private final LongSupplier clock;
    private final JWSVerifier hs256;
    private final JWSVerifier rs256;

    public Authenticator(AuthConfig config, LongSupplier clockMillis) {
        this.config = config;
        this.clock = clockMillis;
        try {
            this.hs256 = config.hs256Secret() == null ? null : new MACVerifier(config.hs256Secret());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable HS256 secret: " + e.getMessage(), e);
        }
        this.rs256 = config.rs256Key() == null ? null : new RSASSAVerifier(config.rs256Key());
    }

    /** Why a request carries no usable credentials. */
    public static final class Rejected extends Exception {
        private final boolean invalidToken;

        public Rejected(String message, boolean invalidToken) {
            super(message, null, false, false);
            this.invalidToken = invalidToken;
        }

        /** True when a token was presented but is invalid (RFC 6750 {@code invalid_token}). */
        public boolean invalidToken() {
            return invalidToken;
        }
    }

    public Grant authenticate(String authorization) throws Rejected {
        String token = bearerToken(authorization);
        byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        for (StaticToken t : config.tokens()) {
            if (MessageDigest.isEqual(presented, t.token().getBytes(StandardCharsets.UTF_8))) {
                return new Grant("token", t.readPrefixes(), t.writePrefixes());
            }
        }
        if (config.acceptsJwt() && token.chars().filter(c -> c == '.').count() == 2) {
            return jwt(token);
        }
        throw new Rejected("unknown token", true);
    }

    /**
     * Admits a request for {@code /metrics}: with a metrics token configured only that token, otherwise
     * any credential {@link #authenticate} accepts (whatever it grants); open when neither applies.
     */
    public void authorizeMetrics(String authorization) throws Rejected {
        if (config.metricsToken() != null) {
            byte[] presented = bearerToken(authorization).getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(presented, config.metricsToken().getBytes(StandardCharsets.UTF_8))) {
                throw new Rejected("unknown token", true);
            }
        } else if (config.protectsStreams()) {
            authenticate(authorization);
        }
    }

    private static String bearerToken(String authorization) throws Rejected {
        if (authorization == null || authorization.isBlank()) {
            throw new Rejected("authentication required", false);
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Rejected("only Bearer credentials are accepted", false);
        }
        return authorization.substring(7).trim();
    }

    private Grant jwt(String token) throws Rejected {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
            JWSVerifier verifier = JWSAlgorithm.HS256.equals(alg) ? hs256 : JWSAlgorithm.RS256.equals(alg) ? rs256 : null;
            if (verifier == null) {
                throw new Rejected("JWT algorithm " + alg + " is not accepted", true);
            }
            if (!jwt.verify(verifier)) {
                throw new Rejected("JWT signature does not verify", true);
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            long now = clock.getAsLong();
            Date exp = claims.getExpirationTime();
            if (exp != null && exp.getTime() + CLOCK_SKEW_MILLIS < now) {
                throw new Rejected("JWT expired", true);
            }
            Date nbf = claims.getNotBeforeTime();
            if (nbf != null && nbf.getTime() - CLOCK_SKEW_MILLIS > now) {
                throw new Rejected("JWT not yet valid", true);
            }
            return new Grant(claims.getSubject() == null ? "jwt" : claims.getSubject(),
                    prefixes(claims, AuthConfig.READ_CLAIM), prefixes(claims, AuthConfig.WRITE_CLAIM));
        } catch (ParseException | JOSEException e) {
            throw new Rejected("malformed JWT", true);
        }
    }

    /**
     * The prefixes of a grant claim: a string or an array of strings. Blank entries (and nulls)
     * grant nothing: {@code ""} must not mean every stream ({@code "*"} does).
     */
    private static List<String> prefixes(JWTClaimsSet claims, String name) throws ParseException {
        Object v = claims.getClaim(name);
        List<String> values = v == null ? List.of() : v instanceof String s ? List.of(s) : claims.getStringListClaim(name);
        List<String> out = new ArrayList<>();
        for (String s : values) {
            if (s != null && Grant.usable(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
