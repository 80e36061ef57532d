package io.durablestreams.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Expiry values a store kept (from an older server, or damaged) never break startup, requests or the sweep. */
class StoredExpiryTest {
    @Test
    void unrepresentableOrUnreadableStoredExpiriesAreClamped() {
        TestStorage storage = new TestStorage();
        storage.recoverable(TestStorage.descriptor("far-future", 1, null, "+300000000-01-01T00:00:00Z"), 0);
        storage.recoverable(TestStorage.descriptor("unreadable", 2, null, "not a time"), 0);
        storage.recoverable(TestStorage.descriptor("huge-ttl", 3, Long.MAX_VALUE, null), 0);
        storage.recoverable(TestStorage.descriptor("far-past", 4, null, "-999999999-01-01T00:00:00Z"), 0);
        storage.recoverable(TestStorage.descriptor("expired", 5, 1L, null), 0);
        try (EngineHarness h = new EngineHarness(EngineConfig.defaults(), storage)) {
            assertThat(h.engine.sweepExpired()).as("the streams that have expired, and only them").isEqualTo(2);
            for (String kept : new String[] {"far-future", "unreadable", "huge-ttl"}) {
                assertThat(h.call("GET", kept).param("offset", "-1").send().status()).as(kept).isEqualTo(200);
                assertThat(h.call("HEAD", kept).send().status()).as(kept).isEqualTo(200);
            }
            assertThat(h.call("HEAD", "far-past").send().status()).isEqualTo(404);
        }
    }
}
