package io.durablestreams.engine.subscriptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablestreams.engine.store.ControlStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Every subscription by id, tombstones included, with the glob of each live one; loaded from the
 * control store at startup and written back after each change ({@link #persist}). Used only on
 * the subscription thread, except {@link #hasLive}.
 */
final class SubscriptionRegistry {
    private static final System.Logger LOG = System.getLogger(SubscriptionRegistry.class.getName());
    private static final String PREFIX = "subscriptions/";

    private final ControlStore store;
    private final ObjectMapper json;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final Map<String, Glob> globs = new HashMap<>();
    /** Live subscriptions; lets the append path skip the hand-off when there are none. */
    private volatile int liveCount;

    SubscriptionRegistry(ControlStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
        for (byte[] record : store.load(PREFIX).values()) {
            try {
                Subscription s = Subscription.fromJson(json.readTree(record));
                subscriptions.put(s.id, s);
                if (!s.deleted && s.config.pattern() != null) {
                    globs.put(s.id, new Glob(s.config.pattern()));
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "skipping an unreadable subscription record", e);
            }
        }
        countLive();
    }

    /** Whether any subscription is live; safe from any thread. */
    boolean hasLive() {
        return liveCount > 0;
    }

    /** The subscription, tombstone or not, or null. */
    Subscription get(String id) {
        return subscriptions.get(id);
    }

    /** The subscription unless it is missing or deleted. */
    Subscription live(String id) {
        Subscription s = subscriptions.get(id);
        return s == null || s.deleted ? null : s;
    }

    Collection<Subscription> all() {
        return subscriptions.values();
    }

    /** The glob of a live subscription with a pattern, or null. */
    Glob glob(String id) {
        return globs.get(id);
    }

    /** Adds (or replaces the tombstone of) a subscription and persists it. */
    void add(Subscription s) {
        subscriptions.put(s.id, s);
        if (s.config.pattern() != null) {
            globs.put(s.id, new Glob(s.config.pattern()));
        }
        persist(s);
    }

    /** Turns a subscription into a tombstone (its generation stays, so a re-creation continues it). */
    void tombstone(Subscription s) {
        s.deleted = true;
        s.config = null;
        s.links.clear();
        s.wakeId = null;
        s.holder = null;
        globs.remove(s.id);
        persist(s);
    }

    /** Writes the subscription's current state; durable when it returns. */
    void persist(Subscription s) {
        store.put(PREFIX + s.id, s.toJson(json).toString().getBytes(StandardCharsets.UTF_8));
        countLive();
    }

    private void countLive() {
        liveCount = (int) subscriptions.values().stream().filter(x -> !x.deleted).count();
    }
}
