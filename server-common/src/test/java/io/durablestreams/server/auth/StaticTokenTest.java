package io.durablestreams.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --auth-token} specs: what they grant, and the mistakes refused at startup. */
class StaticTokenTest {
    @Test
    void grantsExactlyTheListedPrefixes() {
        StaticToken t = StaticToken.parse("s3cret:read=chat/|logs/:write=chat/");
        assertThat(t.readPrefixes()).containsExactly("chat/", "logs/");
        assertThat(t.writePrefixes()).containsExactly("chat/");
        Grant g = new Grant("token", t.readPrefixes(), t.writePrefixes());
        assertThat(g.mayRead("logs/a")).isTrue();
        assertThat(g.mayRead("other")).isFalse();
        assertThat(g.mayWrite("logs/a")).isFalse();
        assertThat(StaticToken.parse("w:write=*").readPrefixes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"t:read=", "t:read=a/|", "t:read=|a/", "t:read=a/||b/", "t:read= ", "t:read=a/| ",
            "t:read=*:write=", "t:write=a/|", "t:write=\t"})
    void aBlankPrefixIsRefusedRatherThanGrantingEveryStream(String spec) {
        assertThatThrownBy(() -> StaticToken.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty prefix")
                .hasMessageContaining("use *")
                .hasMessageNotContaining("t:");
    }

    @Test
    void otherMistakesAreRefusedToo() {
        assertThatThrownBy(() -> StaticToken.parse("t:read=a/:read=b/")).hasMessageContaining("read= twice");
        assertThatThrownBy(() -> StaticToken.parse("t:write=a/:write=b/")).hasMessageContaining("write= twice");
        assertThatThrownBy(() -> StaticToken.parse("my token:read=*")).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> StaticToken.parse("t:admin")).hasMessageContaining("read=... or write=...");
        assertThatThrownBy(() -> new AuthConfig(List.of(StaticToken.parse("t:read=a/"), StaticToken.parse("t:read=*")), null, null))
                .hasMessageContaining("twice").hasMessageNotContaining("t:");
    }

    @Test
    void noGrantCanHoldABlankPrefix() {
        assertThatThrownBy(() -> new Grant("x", List.of(""), List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Grant("x", List.of(), List.of(" "))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anHs256SecretFileLosesOneTrailingLineEndAndNothingElse() {
        assertThat(AuthConfig.hs256SecretFromFile(bytes("secret\n"))).isEqualTo(bytes("secret"));
        assertThat(AuthConfig.hs256SecretFromFile(bytes("secret\r\n"))).isEqualTo(bytes("secret"));
        assertThat(AuthConfig.hs256SecretFromFile(bytes("secret"))).isEqualTo(bytes("secret"));
        assertThat(AuthConfig.hs256SecretFromFile(bytes("secret \n\n"))).isEqualTo(bytes("secret \n"));
        assertThat(AuthConfig.hs256SecretFromFile(bytes(" sec ret\t"))).isEqualTo(bytes(" sec ret\t"));
        assertThat(AuthConfig.hs256SecretFromFile(bytes("\n"))).isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
