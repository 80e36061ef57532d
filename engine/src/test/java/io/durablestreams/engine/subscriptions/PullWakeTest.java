package io.durablestreams.engine.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablestreams.engine.http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pull-wake subscriptions and their wake stream: it must exist, and losing it later is not noisy. */
class PullWakeTest {
    private static final String CREATE = "{\"type\":\"pull-wake\",\"streams\":[\"jobs/1\"],\"wake_stream\":\"wake/pool\"}";
    private final SubscriptionFixture fixture = new SubscriptionFixture(WebhookOptions.none(), HostResolver.SYSTEM);
    private final Logger logger = Logger.getLogger(PullWake.class.getName());
    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                synchronized (warnings) {
                    warnings.add(r);
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureWarnings() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stop() {
        logger.removeHandler(capture);
        fixture.close();
    }

    @Test
    void aMissingWakeStreamIsRefusedAtCreation() {
        Response r = fixture.call("PUT", "__ds/subscriptions/p", CREATE);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.headers().get("content-type")).isEqualTo("application/problem+json");
        JsonNode body = SubscriptionFixture.json(r);
        assertThat(body.get("type").asText()).isEqualTo("wake-stream-not-found");
        assertThat(body.get("error").get("code").asText()).isEqualTo("WAKE_STREAM_NOT_FOUND");
        assertThat(body.get("detail").asText()).contains("wake/pool");
        assertThat(fixture.call("GET", "__ds/subscriptions/p", "").status()).isEqualTo(404);
    }

    @Test
    void aWakeStreamDeletedLaterIsRetriedWithBackoffAndOneWarning() {
        fixture.streams.put("wake/pool", 1, 0);
        fixture.streams.put("jobs/1", 2, 0);
        assertThat(fixture.call("PUT", "__ds/subscriptions/p", CREATE).status()).isEqualTo(201);
        fixture.streams.tails.remove("wake/pool"); // deleted

        for (int i = 1; i <= 20; i++) {
            fixture.streams.put("jobs/1", 2, i);
            fixture.manager.streamChanged("jobs/1");
        }
        fixture.settle();

        synchronized (warnings) {
            assertThat(warnings).as("one warning, not one per change").hasSize(1);
            assertThat(warnings.get(0).getMessage()).contains("wake/pool");
        }
        assertThat(fixture.streams.appendedCount()).isZero();
        JsonNode view = SubscriptionFixture.json(fixture.call("GET", "__ds/subscriptions/p", ""));
        assertThat(view.get("status").asText()).isEqualTo("failed");

        // recreating the wake stream announces the pending wake at once: the first and only wake
        fixture.streams.put("wake/pool", 3, 0);
        fixture.manager.streamChanged("wake/pool");
        fixture.settle();

        assertThat(fixture.streams.appendedCount()).isEqualTo(1);
        assertThat(fixture.streams.appended.get(0)).contains("\"generation\":1");
        assertThat(SubscriptionFixture.json(fixture.call("GET", "__ds/subscriptions/p", "")).get("status").asText())
                .isEqualTo("active");
    }
}
