package io.durablestreams.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A producer's retry is not acknowledged before the batch it duplicates is durable. */
class DurableDuplicateTest {
    private static CompletableFuture<Response> call(StreamEngine e, String method, Map<String, String> headers, String body) {
        return e.handle(new Request(method, "s", Map.of(), headers::get, body.getBytes(StandardCharsets.UTF_8),
                "http://test/v1/stream/", null));
    }

    @Test
    void aRetryWaitsForTheOriginalToBeDurable() {
        TestStorage storage = new TestStorage();
        try (StreamEngine engine = new StreamEngine(EngineConfig.defaults(), storage, System::currentTimeMillis, new SplittableRandom(1))) {
            call(engine, "PUT", Map.of("content-type", "text/plain"), "").join();
            Map<String, String> batch = Map.of("content-type", "text/plain", "producer-id", "p", "producer-epoch", "0", "producer-seq", "0");

            storage.holding = true;
            CompletableFuture<Response> original = call(engine, "POST", batch, "x");
            CompletableFuture<Response> retry = call(engine, "POST", batch, "x");
            assertThat(original).isNotDone();
            assertThat(retry).as("a duplicate of a batch that is not durable yet must wait").isNotDone();

            storage.release();
            assertThat(original.join().status()).isEqualTo(200);
            assertThat(retry.join().status()).isEqualTo(204);
        }
    }

    @Test
    void aRepeatedCloseWaitsForTheCloseToBeDurable() {
        TestStorage storage = new TestStorage();
        try (StreamEngine engine = new StreamEngine(EngineConfig.defaults(), storage, System::currentTimeMillis, new SplittableRandom(1))) {
            call(engine, "PUT", Map.of("content-type", "text/plain"), "").join();
            storage.holding = true;
            CompletableFuture<Response> close = call(engine, "POST", Map.of("stream-closed", "true"), "");
            CompletableFuture<Response> again = call(engine, "POST", Map.of("stream-closed", "true"), "");
            assertThat(again).isNotDone();
            storage.release();
            assertThat(close.join().status()).isEqualTo(204);
            assertThat(again.join().headers()).containsEntry("stream-closed", "true");
        }
    }
}
