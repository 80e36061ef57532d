package io.durablestreams.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.durablestreams.engine.store.AppendEntry;
import io.durablestreams.engine.store.FileSlice;
import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.StreamLog;
import io.durablestreams.engine.store.StreamStorage;
import io.durablestreams.engine.store.memory.MemoryStorage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A producer's retry is not acknowledged before the batch it duplicates is durable. */
class DurableDuplicateTest {
    /** Memory storage whose appends and syncs become durable only when the test says so. */
    static final class HeldStorage implements StreamStorage {
        final MemoryStorage memory = new MemoryStorage();
        final List<CompletableFuture<Void>> held = new ArrayList<>();
        boolean holding;

        void release() {
            holding = false;
            held.forEach(f -> f.complete(null));
            held.clear();
        }

        CompletableFuture<Void> gate() {
            if (!holding) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            held.add(f);
            return f;
        }

        @Override
        public List<RecoveredStream> recover() {
            return List.of();
        }

        @Override
        public StreamLog createLog(StreamDescriptor d) {
            StreamLog log = memory.createLog(d);
            return new StreamLog() {
                public long base() { return log.base(); }
                public long tail() { return log.tail(); }
                public CompletableFuture<Void> append(AppendEntry e) { return log.append(e).thenCompose(v -> gate()); }
                public CompletableFuture<Void> sync() { return gate(); }
                public List<ByteBuffer> read(long from, long to) { return log.read(from, to); }
                public FileSlice fileSlice(long from, long to) { return null; }
                public long boundedEnd(long f, long l, long m, boolean s) { return log.boundedEnd(f, l, m, s); }
                public boolean isMessageBoundary(long p) { return log.isMessageBoundary(p); }
                public long[] boundariesToBatchEnd(long p) { return log.boundariesToBatchEnd(p); }
                public CompletableFuture<Void> markSoftDeleted() { return log.markSoftDeleted(); }
                public void touched(long now) { }
                public void delete() { log.delete(); }
            };
        }

        @Override
        public long nextIncarnation() {
            return memory.nextIncarnation();
        }

        @Override
        public void close() {
        }
    }

    private static CompletableFuture<Response> call(StreamEngine e, String method, Map<String, String> headers, String body) {
        return e.handle(new Request(method, "s", Map.of(), headers::get, body.getBytes(StandardCharsets.UTF_8),
                "http://test/v1/stream/", null));
    }

    @Test
    void aRetryWaitsForTheOriginalToBeDurable() {
        HeldStorage storage = new HeldStorage();
        StreamEngine engine = new StreamEngine(EngineConfig.defaults(), storage, System::currentTimeMillis, new SplittableRandom(1));
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
        engine.close();
    }

    @Test
    void aRepeatedCloseWaitsForTheCloseToBeDurable() {
        HeldStorage storage = new HeldStorage();
        StreamEngine engine = new StreamEngine(EngineConfig.defaults(), storage, System::currentTimeMillis, new SplittableRandom(1));
        call(engine, "PUT", Map.of("content-type", "text/plain"), "").join();
        storage.holding = true;
        CompletableFuture<Response> close = call(engine, "POST", Map.of("stream-closed", "true"), "");
        CompletableFuture<Response> again = call(engine, "POST", Map.of("stream-closed", "true"), "");
        assertThat(again).isNotDone();
        storage.release();
        assertThat(close.join().status()).isEqualTo(204);
        assertThat(again.join().headers()).containsEntry("stream-closed", "true");
        engine.close();
    }
}
