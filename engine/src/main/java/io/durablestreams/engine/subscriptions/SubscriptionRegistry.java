package io.durablestreams.engine.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablestreams.engine.store.ControlStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Every subscription by id, tombstones included, with the glob of each live one; loaded from the
 * control store at startup and written back after each change ({@link #persist}). With a shared
 * control store, {@link #reload} re-reads the records before each task, because other nodes
 * change them. Used only on the subscription thread, except {@link #hasLive}.
 */
final class SubscriptionRegistry {
    private static final System.Logger LOG = System.getLogger(SubscriptionRegistry.class.getName());
    private static final String PREFIX = "subscriptions/";

    private final ControlStore store;
    private final ObjectMapper json;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final Map<String, Glob> globs = new HashMap<>();
    /**
     * Shared control store only: each subscription's record as this node last read or wrote it, so
     * that {@link #reload} parses only what another node changed. Null for a store of this node alone.
     */
    private final Map<String, byte[]> records;
    /** Live subscriptions; lets the append path skip the hand-off when there are none. */
    private volatile int liveCount;

    SubscriptionRegistry(ControlStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
        this.records = store.shared() ? new HashMap<>() : null;
        for (byte[] record : store.load(PREFIX).values()) {
            Subscription s = parse(record);
            if (s != null) {
                subscriptions.put(s.id, s);
                remember(s.id, record);
                if (!s.deleted && s.config.pattern() != null) {
                    globs.put(s.id, new Glob(s.config.pattern()));
                }
            }
        }
        countLive();
    }

    /**
     * Re-reads the records (a shared control store, inside its lock): a subscription another node
     * changed is updated in place, so timers and deliveries in flight that hold it see its state as
     * recorded now; one created elsewhere is added.
     */
    void reload() {
        Map<String, Subscription> fresh = new HashMap<>();
        for (Map.Entry<String, byte[]> e : store.load(PREFIX).entrySet()) {
            String id = e.getKey().substring(PREFIX.length());
            byte[] record = e.getValue();
            Subscription held = subscriptions.get(id);
            if (Arrays.equals(records.get(id), record)) { // as this node last read or wrote it
                if (held != null) {
                    fresh.put(id, held);
                }
                continue;
            }
            remember(id, record); // an unreadable record is reported once, not at every reload
            JsonNode tree = tree(record);
            if (tree == null) {
                continue;
            }
            if (held != null) {
                held.read(tree);
                fresh.put(id, held);
            } else {
                fresh.put(id, Subscription.fromJson(tree));
            }
        }
        for (Subscription gone : subscriptions.values()) {
            if (!fresh.containsKey(gone.id)) { // its record was removed by hand: fence whoever still holds it
                gone.deleted = true;
                records.remove(gone.id);
            }
        }
        subscriptions.clear();
        subscriptions.putAll(fresh);
        globs.clear();
        for (Subscription s : subscriptions.values()) {
            if (!s.deleted && s.config.pattern() != null) {
                globs.put(s.id, new Glob(s.config.pattern()));
            }
        }
        countLive();
    }

    /**
     * After a task failed (its changes may not be in the records): the next {@link #reload} takes
     * every record as changed.
     */
    void forget() {
        if (records != null) {
            records.clear();
        }
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
        Attempts.clear(s);
        globs.remove(s.id);
        persist(s);
    }

    /** Writes the subscription's current state; durable when it returns (or when the store's lock is released). */
    void persist(Subscription s) {
        byte[] record = s.toJson(json).toString().getBytes(StandardCharsets.UTF_8);
        store.put(PREFIX + s.id, record);
        remember(s.id, record);
        countLive();
    }

    private void remember(String id, byte[] record) {
        if (records != null) {
            records.put(id, record);
        }
    }

    private Subscription parse(byte[] record) {
        JsonNode tree = tree(record);
        return tree == null ? null : Subscription.fromJson(tree);
    }

    /** A record as JSON that {@link Subscription#read} takes, or null (logged) if it is unreadable. */
    private JsonNode tree(byte[] record) {
        try {
            JsonNode tree = json.readTree(record);
            Subscription.fromJson(tree); // throws here, not halfway through updating a subscription in place
            return tree;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "skipping an unreadable subscription record", e);
            return null;
        }
    }

    private void countLive() {
        liveCount = (int) subscriptions.values().stream().filter(x -> !x.deleted).count();
    }
}
