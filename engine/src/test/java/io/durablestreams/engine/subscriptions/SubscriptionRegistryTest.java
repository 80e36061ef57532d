package io.durablestreams.engine.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablestreams.engine.store.ControlStore;
import io.durablestreams.engine.store.memory.MemoryControlStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two nodes' registries over one shared control store: what one persists, the other reloads in place. */
class SubscriptionRegistryTest {
    /** The records of a cluster's database, as far as the registry can tell. */
    static final class SharedStore implements ControlStore {
        final MemoryControlStore records = new MemoryControlStore();

        @Override
        public Map<String, byte[]> load(String prefix) {
            return records.load(prefix);
        }

        @Override
        public void put(String key, byte[] value) {
            records.put(key, value);
        }

        @Override
        public void remove(String key) {
            records.remove(key);
        }

        @Override
        public boolean shared() {
            return true;
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final SharedStore store = new SharedStore();
    private final SubscriptionRegistry a = new SubscriptionRegistry(store, json);
    private final SubscriptionRegistry b = new SubscriptionRegistry(store, json);

    private static Subscription subscription(String id) {
        Subscription s = new Subscription(id);
        s.config = new SubscriptionConfig("pull-wake", "jobs/*", List.of(), null, "wake/pool", 30_000, null);
        s.configHash = "h";
        return s;
    }

    @Test
    void whatOneNodePersistsTheOtherSeesInTheObjectsItAlreadyHolds() {
        a.add(subscription("s"));
        b.reload();
        Subscription held = b.get("s");
        assertThat(held).isNotNull();
        assertThat(b.glob("s").matches("jobs/1")).isTrue();
        assertThat(b.hasLive()).isTrue();

        Subscription onA = a.get("s");
        onA.generation = 7;
        onA.wakeId = "w_7";
        onA.holder = "worker";
        onA.attemptBy = "node-1";
        onA.attemptUntil = 123;
        a.persist(onA);
        b.reload();
        assertThat(b.get("s")).as("updated in place: timers holding it see the change").isSameAs(held);
        assertThat(held.generation).isEqualTo(7);
        assertThat(held.wakeId).isEqualTo("w_7");
        assertThat(held.holder).isEqualTo("worker");
        assertThat(held.attemptBy).isEqualTo("node-1");

        b.reload();
        assertThat(b.get("s")).isSameAs(held);

        a.tombstone(onA);
        b.reload();
        assertThat(held.deleted).isTrue();
        assertThat(held.holder).isNull();
        assertThat(held.attemptBy).isNull();
        assertThat(held.generation).as("a tombstone keeps the generation").isEqualTo(7);
        assertThat(b.live("s")).isNull();
        assertThat(b.glob("s")).isNull();
        assertThat(b.hasLive()).isFalse();
    }

    @Test
    void anUnreadableRecordIsSkippedAndARemovedOneFencesItsHolders() {
        a.add(subscription("s"));
        b.reload();
        Subscription held = b.get("s");
        store.put("subscriptions/bad", "{not json".getBytes(StandardCharsets.UTF_8));
        store.remove("subscriptions/s");
        b.reload();
        assertThat(b.get("bad")).isNull();
        assertThat(b.get("s")).isNull();
        assertThat(held.deleted).isTrue();
    }

    @Test
    void afterAFailedTaskEveryRecordIsReadAgain() {
        a.add(subscription("s"));
        b.reload();
        Subscription held = b.get("s");
        held.generation = 99; // a change whose task failed before its records were written
        b.reload();
        assertThat(held.generation).as("unchanged records are not parsed again").isEqualTo(99);
        b.forget();
        b.reload();
        assertThat(held.generation).isZero();
    }
}
