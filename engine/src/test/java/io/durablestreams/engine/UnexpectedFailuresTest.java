package io.durablestreams.engine;

import static io.durablestreams.engine.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.http.Response;
import org.junit.jupiter.api.Test;

/** A defect or a broken stream costs one answer or one stream, never the connection or the others. */
class UnexpectedFailuresTest {
    @Test
    void aDefectInAHandlerIsA500ProblemNotAnException() {
        TestStorage storage = new TestStorage();
        try (EngineHarness h = new EngineHarness(EngineConfig.defaults(), storage)) {
            h.call("PUT", "s").header("content-type", "text/plain").body("x").send();
            storage.readFailure = new IllegalStateException("a defect");
            Response r = h.call("GET", "s").param("offset", "-1").send();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.headers()).containsEntry("content-type", "application/problem+json");
            assertThat(text(r)).contains("\"type\":\"internal-error\"");
        }
    }

    @Test
    void aStreamThatFailsToExpireDoesNotStopTheSweep() {
        TestStorage storage = new TestStorage();
        try (EngineHarness h = new EngineHarness(EngineConfig.defaults(), storage)) {
            for (int i = 0; i < 8; i++) {
                h.call("PUT", "s" + i).header("content-type", "text/plain").header("stream-ttl", "1").send();
            }
            storage.failDeleting = "s3";
            h.advance(1_000);
            h.engine.sweepExpired();
            assertThat(h.engine.streamCount()).as("every other expired stream is reclaimed").isLessThanOrEqualTo(1);
            storage.failDeleting = null;
            h.engine.sweepExpired();
            assertThat(h.engine.streamCount()).isZero();
        }
    }
}
