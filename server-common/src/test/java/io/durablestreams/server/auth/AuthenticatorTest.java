package io.durablestreams.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JWT grant claims, and who may scrape {@code /metrics}. */
class AuthenticatorTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final long NOW = 1_700_000_000_000L;

    private final Authenticator auth = new Authenticator(new AuthConfig(List.of(StaticToken.parse("admin:read=*:write=*")),
            SECRET, null), () -> NOW);

    @Test
    void blankPrefixesInJwtClaimsGrantNothing() throws Exception {
        for (Object claim : List.of("", " ", List.of(""), Arrays.asList("", null, " "))) {
            Grant g = auth.authenticate("Bearer " + jwt(claim));
            assertThat(g.mayRead("any")).as("ds_read = %s", claim).isFalse();
            assertThat(g.mayWrite("any")).as("ds_write = %s", claim).isFalse();
        }
        Grant mixed = auth.authenticate("Bearer " + jwt(List.of("", "team/")));
        assertThat(mixed.readPrefixes()).containsExactly("team/");
        assertThat(mixed.mayRead("team/a")).isTrue();
        assertThat(mixed.mayRead("other")).isFalse();
        assertThat(auth.authenticate("Bearer " + jwt("*")).mayWrite("anything")).isTrue();
    }

    @Test
    void metricsNeedAnAcceptedCredentialWhenStreamsDo() throws Exception {
        assertThatCode(() -> auth.authorizeMetrics("Bearer admin")).doesNotThrowAnyException();
        assertThatCode(() -> auth.authorizeMetrics("Bearer " + jwt(List.of()))).doesNotThrowAnyException();
        assertThatThrownBy(() -> auth.authorizeMetrics(null)).isInstanceOf(Authenticator.Rejected.class);
        assertThatThrownBy(() -> auth.authorizeMetrics("Bearer wrong")).isInstanceOf(Authenticator.Rejected.class);
    }

    @Test
    void aMetricsTokenIsTheOnlyCredentialMetricsAccept() throws Exception {
        Authenticator withToken = new Authenticator(new AuthConfig(List.of(StaticToken.parse("admin:read=*:write=*")),
                null, null, "scrape"), () -> NOW);
        assertThatCode(() -> withToken.authorizeMetrics("Bearer scrape")).doesNotThrowAnyException();
        assertThatThrownBy(() -> withToken.authorizeMetrics("Bearer admin")).isInstanceOf(Authenticator.Rejected.class);
        assertThatThrownBy(() -> withToken.authorizeMetrics(null)).isInstanceOf(Authenticator.Rejected.class);
        assertThatThrownBy(() -> withToken.authenticate("Bearer scrape")).as("grants no stream access")
                .isInstanceOf(Authenticator.Rejected.class);

        Authenticator metricsOnly = new Authenticator(new AuthConfig(List.of(), null, null, "scrape"), () -> NOW);
        assertThat(new AuthConfig(List.of(), null, null, "scrape").protectsStreams()).isFalse();
        assertThatThrownBy(() -> metricsOnly.authorizeMetrics(null)).isInstanceOf(Authenticator.Rejected.class);
        assertThatCode(() -> metricsOnly.authorizeMetrics("Bearer scrape")).doesNotThrowAnyException();
    }

    @Test
    void withoutAuthenticationMetricsAreOpen() {
        Authenticator none = new Authenticator(new AuthConfig(List.of(), null, null), () -> NOW);
        assertThatCode(() -> none.authorizeMetrics(null)).doesNotThrowAnyException();
    }

    private static String jwt(Object grant) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("test")
                .claim(AuthConfig.READ_CLAIM, grant).claim(AuthConfig.WRITE_CLAIM, grant).build());
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }
}
