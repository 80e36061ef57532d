package io.durablestreams.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PostgresControlStoreTest {

    @Test
    void recordsAreSharedByEveryNodeOfOneDatabaseAndSurviveReconnects() {
        String url = TestPostgres.freshDatabase();
        try (PostgresDatabase a = PostgresDatabase.open(PostgresConfig.of(url));
             PostgresDatabase b = PostgresDatabase.open(PostgresConfig.of(url))) {
            var storeA = new PostgresControlStore(a);
            var storeB = new PostgresControlStore(b);
            storeA.put("sub/1", bytes("one"));
            storeA.put("sub/2", bytes("two"));
            storeA.put("sub%_/3", bytes("odd"));
            storeA.put("key/1", bytes("k"));
            storeB.put("sub/2", bytes("two again"));

            assertThat(storeB.load("sub/")).containsOnlyKeys("sub/1", "sub/2");
            assertThat(new String(storeA.load("sub/").get("sub/2"), StandardCharsets.UTF_8)).isEqualTo("two again");
            // the prefix is literal: no LIKE wildcards
            assertThat(storeA.load("sub%")).containsOnlyKeys("sub%_/3");

            storeB.remove("sub/1");
            assertThat(storeA.load("sub/")).containsOnlyKeys("sub/2");
        }
        try (PostgresDatabase again = PostgresDatabase.open(PostgresConfig.of(url))) {
            assertThat(new PostgresControlStore(again).load("")).containsOnlyKeys("sub/2", "sub%_/3", "key/1");
        }
    }

    @Test
    void exclusiveWorkOfTwoNodesNeverOverlapsAndCommitsAllOrNothing() throws Exception {
        String url = TestPostgres.freshDatabase();
        // the lock is waited for as long as a connection: half a second here
        PostgresConfig config = new PostgresConfig(PostgresUrl.parse(url), 4, Duration.ofMillis(500));
        try (PostgresDatabase a = PostgresDatabase.open(config); PostgresDatabase b = PostgresDatabase.open(config)) {
            var storeA = new PostgresControlStore(a);
            var storeB = new PostgresControlStore(b);
            assertThat(storeA.shared()).isTrue();

            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch leave = new CountDownLatch(1);
            ExecutorService nodeA = Executors.newSingleThreadExecutor();
            try {
                Future<String> holder = nodeA.submit(() -> storeA.exclusively(() -> {
                    storeA.put("k", bytes("from A"));
                    assertThat(storeA.exclusively(() -> storeA.load("k"))).as("nested: the same transaction").containsKey("k");
                    inside.countDown();
                    await(leave);
                    return "A";
                }));
                assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

                assertThat(storeB.load("k")).as("not visible before the work returns").isEmpty();
                assertThatThrownBy(() -> storeB.exclusively(() -> "B"))
                        .as("B waits for the lock at most its bound, then the store is unavailable (503)")
                        .isInstanceOfSatisfying(PostgresUnavailableException.class, e -> assertThat(e.unavailable()).isTrue());

                leave.countDown();
                assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("A");
            } finally {
                nodeA.shutdownNow();
            }
            assertThat(storeB.exclusively(() -> new String(storeB.load("k").get("k"), StandardCharsets.UTF_8))).isEqualTo("from A");

            assertThatThrownBy(() -> storeB.exclusively(() -> {
                storeB.put("k", bytes("from B"));
                storeB.put("k2", bytes("from B"));
                throw new IllegalStateException("the work failed");
            })).hasMessage("the work failed");
            assertThat(storeA.load("k")).as("nothing of failed work is kept").hasSize(1);
            assertThat(new String(storeA.load("k").get("k"), StandardCharsets.UTF_8)).isEqualTo("from A");
            assertThat(storeA.load("k2")).isEmpty();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
