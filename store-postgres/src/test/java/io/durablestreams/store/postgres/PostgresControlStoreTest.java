package io.durablestreams.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
