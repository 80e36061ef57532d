package io.durablestreams.client;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    private final RetryPolicy policy = RetryPolicy.newBuilder().initialDelayMs(100).maxDelayMs(1_000)
            .multiplier(2.0).build();

    @Test
    void ceilingGrowsExponentiallyUpToTheCap() {
        Backoff b = new Backoff(policy, () -> 0.5);
        assertThat(b.ceilingMs(0)).isEqualTo(100);
        assertThat(b.ceilingMs(1)).isEqualTo(200);
        assertThat(b.ceilingMs(3)).isEqualTo(800);
        assertThat(b.ceilingMs(4)).isEqualTo(1_000);
        assertThat(b.ceilingMs(1_000)).isEqualTo(1_000);
    }

    @Property
    void fullJitterStaysWithinZeroAndTheCeiling(@ForAll @IntRange(min = 0, max = 64) int retry,
                                                @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) double r) {
        Backoff b = new Backoff(policy, () -> r);
        assertThat(b.delayMs(retry)).isBetween(0L, b.ceilingMs(retry));
    }

    @Test
    void retryAfterWinsInSecondsOrAsHttpDateAndIsCapped() {
        Backoff b = new Backoff(policy, () -> 0.0);
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(b.delayMs(0, "1", now)).isEqualTo(1_000);
        assertThat(b.delayMs(0, "Wed, 01 Jan 2025 00:00:03 GMT", now)).isEqualTo(3_000);
        assertThat(b.delayMs(0, "99999999999999999999", now)).isEqualTo(policy.maxRetryAfterMs());
        assertThat(b.delayMs(0, "soon", now)).isZero();
        assertThat(b.delayMs(0, null, now)).isZero();
    }

    @Test
    void validationNamesTheParameter() {
        assertThatThrownBy(() -> RetryPolicy.newBuilder().maxRetries(-1).build()).hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> RetryPolicy.newBuilder().initialDelayMs(0).build())
                .hasMessageContaining("initialDelayMs");
        assertThatThrownBy(() -> RetryPolicy.newBuilder().initialDelayMs(1_000).maxDelayMs(500).build())
                .hasMessageContaining("maxDelayMs");
        assertThatThrownBy(() -> RetryPolicy.newBuilder().multiplier(0.5).build()).hasMessageContaining("multiplier");
    }
}
