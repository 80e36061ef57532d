package io.durablestreams.engine;

import static io.durablestreams.engine.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.http.Response;
import io.durablestreams.engine.store.StorageException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A stream being created or deleted, or whose log is still loading, is waited for — without a
 * thread — and nothing a crash could take back is ever served or confirmed.
 */
class StreamTransitionsTest {
    private final TestStorage storage = new TestStorage();

    private EngineHarness.Call put(EngineHarness h, String name, String contentType) {
        return h.call("PUT", name).header("content-type", contentType);
    }

    @Test
    void aStreamIsNeitherServedNorConfirmedBeforeItsCreationIsDurable() {
        try (EngineHarness h = new EngineHarness(EngineConfig.defaults(), storage)) {
            storage.holding = true;
            CompletableFuture<Response> create = put(h, "s", "text/plain").body("x").future();
            CompletableFuture<Response> read = h.call("GET", "s").param("offset", "-1").future();
            CompletableFuture<Response> head = h.call("HEAD", "s").future();
            CompletableFuture<Response> again = put(h, "s", "text/plain").future();
            CompletableFuture<Response> other = put(h, "s", "application/json").future();
            for (CompletableFuture<Response> f : java.util.List.of(create, read, head, again, other)) {
                assertThat(f).isNotDone();
            }
            storage.release();
            assertThat(create.join().status()).isEqualTo(201);
            assertThat(text(read.join())).isEqualTo("x");
            assertThat(head.join().status()).isEqualTo(200);
            assertThat(again.join().status()).isEqualTo(200);
            assertThat(other.join().status()).as("a concurrent create with another configuration").isEqualTo(409);
        }
    }

    @Test
    void aFailedCreationLeavesTheNameFree() {
        try (EngineHarness h = new EngineHarness(EngineConfig.defaults(), storage)) {
            storage.holding = true;
            CompletableFuture<Response> create = put(h, "s", "text/plain").body("x").future();
            CompletableFuture<Response> read = h.call("GET", "s").param("offset", "-1").future();
            storage.fail(new StorageException("disk gone", new IOException("EIO")));
            assertThat(create).isCompletedExceptionally();
            assertThat(read.join().status()).isEqualTo(404);
            assertThat(put(h, "s", "text/plain").send().status()).isEqualTo(201);
        }
    }

    @Test
    void aDeleteIsAnsweredAndSeenOnlyOnceDurable() {
        try (EngineHarness h = new EngineHarness(EngineConfig.defaults(), storage)) {
            put(h, "s", "text/plain").body("x").send();
            storage.holdDeletes = true;
            CompletableFuture<Response> delete = h.call("DELETE", "s").future();
            CompletableFuture<Response> read = h.call("GET", "s").param("offset", "-1").future();
            assertThat(delete).isNotDone();
            assertThat(read).as("a crash could still bring the stream back").isNotDone();
            storage.release();
            assertThat(delete.join().status()).isEqualTo(204);
            assertThat(read.join().status()).isEqualTo(404);
            assertThat(put(h, "s", "text/plain").send().status()).isEqualTo(201);
        }
    }

    @Test
    void aRecreateWaitsForTheDeletionBeforeIt() {
        try (EngineHarness h = new EngineHarness(EngineConfig.defaults(), storage)) {
            put(h, "s", "text/plain").body("old").send();
            storage.holdDeletes = true;
            CompletableFuture<Response> delete = h.call("DELETE", "s").future();
            CompletableFuture<Response> recreate = put(h, "s", "text/plain").body("new").future();
            assertThat(recreate).isNotDone();
            storage.release();
            assertThat(delete.join().status()).isEqualTo(204);
            assertThat(recreate.join().status()).isEqualTo(201);
            assertThat(text(h.call("GET", "s").param("offset", "-1").send())).isEqualTo("new");
        }
    }

    @Test
    void theLastForkReleasesItsDeletedSourceOnlyOnceItsOwnDeletionIsDurable() {
        try (EngineHarness h = new EngineHarness(EngineConfig.defaults(), storage)) {
            put(h, "src", "text/plain").body("abc").send();
            h.call("PUT", "fork").header("stream-forked-from", "src").send();
            assertThat(h.call("DELETE", "src").send().status()).isEqualTo(204);
            assertThat(h.call("HEAD", "src").send().status()).as("soft-deleted: its fork reads it").isEqualTo(410);

            storage.holdDeletes = true;
            CompletableFuture<Response> deleteFork = h.call("DELETE", "fork").future();
            assertThat(deleteFork).isNotDone();
            assertThat(h.call("HEAD", "src").send().status()).as("a crash could still bring the fork back").isEqualTo(410);
            storage.release();
            assertThat(deleteFork.join().status()).isEqualTo(204);
            assertThat(h.call("HEAD", "src").send().status()).isEqualTo(404);
            assertThat(put(h, "src", "text/plain").send().status()).isEqualTo(201);
            assertThat(h.engine.streamCount()).isEqualTo(1);
        }
    }

    @Test
    void anExpiredStreamIsGoneOnceTheSweepsDeletionIsDurable() {
        try (EngineHarness h = new EngineHarness(EngineConfig.defaults(), storage)) {
            h.call("PUT", "t").header("content-type", "text/plain").header("stream-ttl", "1").send();
            h.advance(1_000);
            storage.holdDeletes = true;
            assertThat(h.engine.sweepExpired()).isEqualTo(1);
            CompletableFuture<Response> read = h.call("GET", "t").param("offset", "-1").future();
            assertThat(read).isNotDone();
            storage.release();
            assertThat(read.join().status()).isEqualTo(404);
            assertThat(h.engine.streamCount()).isZero();
        }
    }

    @Test
    void aStreamWhoseLogIsLoadingIsWaitedForAndOthersAreNot() {
        storage.recoverable(TestStorage.descriptor("big", 1, null, null), 0);
        storage.recoverable(TestStorage.descriptor("small", 2, null, null), 0);
        storage.holdLoads = true;
        try (EngineHarness h = new EngineHarness(EngineConfig.defaults(), storage)) {
            CompletableFuture<Response> big = h.call("GET", "big").param("offset", "-1").future();
            assertThat(big).isNotDone();
            assertThat(storage.heldCount()).isEqualTo(1);
            storage.holdLoads = false;
            assertThat(h.call("GET", "small").param("offset", "-1").send().status()).isEqualTo(200);
            storage.release();
            assertThat(big.join().status()).isEqualTo(200);
        }
    }

    @Test
    void aForkWaitsForItsSourcesLog() {
        storage.recoverable(TestStorage.descriptor("src", 1, null, null), 0);
        storage.holdLoads = true;
        try (EngineHarness h = new EngineHarness(EngineConfig.defaults(), storage)) {
            CompletableFuture<Response> fork = h.call("PUT", "fork").header("stream-forked-from", "src").future();
            assertThat(fork).isNotDone();
            storage.release();
            assertThat(fork.join().status()).isEqualTo(201);
        }
    }
}
