package io.durablestreams.engine.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.store.memory.MemoryControlStore;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    @Test
    void keysArePersistedAndRotationKeepsOldPublicKeys() {
        MemoryControlStore store = new MemoryControlStore();
        WebhookSigner signer = new WebhookSigner(store, 1);
        String first = signer.activeKid();
        assertThat(first).startsWith("ds_");
        assertThat(new WebhookSigner(store, 2).activeKid()).as("reloaded").isEqualTo(first);
        String second = signer.rotate(3);
        assertThat(second).isNotEqualTo(first);
        assertThat(signer.jwks()).contains(first).contains(second).contains("\"crv\":\"Ed25519\"");
        assertThat(signer.sign(1700000000, "{}".getBytes())).startsWith("t=1700000000,kid=" + second + ",ed25519=");
    }
}
