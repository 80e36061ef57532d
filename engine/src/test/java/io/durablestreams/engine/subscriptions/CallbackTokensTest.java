package io.durablestreams.engine.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.store.memory.MemoryControlStore;
import org.junit.jupiter.api.Test;

class CallbackTokensTest {
    @Test
    void roundTripsAndRejectsTampering() {
        MemoryControlStore store = new MemoryControlStore();
        CallbackTokens tokens = new CallbackTokens(store);
        CallbackTokens.Claims claims = new CallbackTokens.Claims("sub:with:colons", 7, "w_1", 123);
        String token = tokens.issue(claims);
        assertThat(tokens.verify(token)).isEqualTo(claims);
        assertThat(new CallbackTokens(store).verify(token)).as("secret survives a restart").isEqualTo(claims);
        assertThat(tokens.verify(token.substring(0, token.length() - 2) + "AA")).isNull();
        assertThat(tokens.verify("x" + token)).isNull();
        assertThat(tokens.verify("garbage")).isNull();
        assertThat(tokens.verify(null)).isNull();
        assertThat(new CallbackTokens(new MemoryControlStore()).verify(token)).as("other server's secret").isNull();
    }
}
