package io.durablestreams.engine.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.security.SecureRandom;
import java.util.function.LongSupplier;

/**
 * The wake lifecycle of PROTOCOL.md §7: pending work on an idle subscription issues a wake
 * (generation + 1, a fresh {@code wake_id}), delivered by webhook or announced on the wake stream;
 * a worker's claim or the webhook's accepting answer takes its lease; acks move the cursors; a
 * {@code done}, a release or an expired lease ends the wake, and remaining work issues the next
 * one. Callback, ack and release must match the current wake (generation fencing, §7.3).
 * Runs on the subscription thread.
 *
 * <p>Timers ({@link Leases}, retries) are armed on the node that made the change. With a shared
 * control store every node also runs {@link #sweep} every few seconds, which does what is due
 * whoever armed it: so the leases and retries of a node that stopped are taken over.
 */
final class Wakes {
    /** Whether a callback, ack or release may act on the current wake. */
    enum Fence { CURRENT, UNAUTHORIZED, FENCED }

    /**
     * A claim's outcome: granted with the snapshot, or refused because {@code holder} holds the
     * lease, or nothing (no pending work).
     */
    record Claim(ArrayNode snapshot, String holder) {
        static final Claim NOTHING = new Claim(null, null);
    }

    private final SubscriptionRegistry registry;
    private final Cursors cursors;
    private final Timers timers;
    private final Leases leases;
    private final WebhookDelivery webhooks;
    private final PullWake pullWake;
    private final CallbackTokens tokens;
    private final Attempts attempts;
    private final Retries retries;
    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();

    Wakes(SubscriptionRegistry registry, Cursors cursors, Timers timers, WebhookDelivery webhooks, PullWake pullWake,
          CallbackTokens tokens, Attempts attempts, Retries retries, LongSupplier clock) {
        this.registry = registry;
        this.attempts = attempts;
        this.retries = retries;
        this.cursors = cursors;
        this.timers = timers;
        this.webhooks = webhooks;
        this.pullWake = pullWake;
        this.tokens = tokens;
        this.clock = clock;
        this.leases = new Leases(registry, timers, clock, this::finish);
    }

    /** A stream was created or its acknowledged tail advanced. */
    void streamChanged(String name) {
        pullWake.streamChanged(name);
        for (Subscription s : registry.all()) {
            if (s.deleted) {
                continue;
            }
            boolean linked = s.links.containsKey(name);
            Glob glob = registry.glob(s.id);
            if (!linked && glob != null && glob.matches(name)) {
                // discovered by its first change: linked before that change, so it counts as pending work
                Subscription.Link link = new Subscription.Link();
                link.glob = true;
                s.links.put(name, link);
                linked = true;
                registry.persist(s);
            }
            if (linked && s.idle() && cursors.hasPending(s)) {
                issue(s);
            }
        }
    }

    /** After a restart: re-arm leases and retries, deliver wakes that were in flight, wake pending work. */
    void resume() {
        for (Subscription s : registry.all()) {
            if (s.deleted) {
                continue;
            }
            if (s.holder != null) {
                leases.arm(s);
            } else if (s.wakeId != null && s.isWebhook()) {
                webhooks.resume(s, this::answered);
            } else if (s.wakeId != null && !s.wakeAnnounced) {
                pullWake.resume(s);
            } else if (s.wakeId == null && cursors.hasPending(s)) {
                issue(s);
            }
        }
    }

    /**
     * Shared control store, on every node every few seconds: ends leases that ran out, makes the
     * attempts that are due and not in flight anywhere (a retry, or a node that stopped
     * mid-attempt), and issues wakes for pending work whose change notification was lost (a node
     * that stopped after an append, before its subscription work).
     */
    void sweep() {
        long now = clock.getAsLong();
        for (Subscription s : registry.all()) {
            if (s.deleted) {
                continue;
            }
            if (s.holder != null) {
                if (s.leaseExpiresAt <= now) {
                    leases.expired(s);
                }
            } else if (s.wakeId != null) {
                if (attempts.claimed(s) || retries.remaining(s) > 0) {
                    continue;
                }
                if (s.isWebhook()) {
                    webhooks.deliver(s, this::answered);
                } else if (!s.wakeAnnounced) {
                    pullWake.announce(s);
                }
            } else if (cursors.hasPending(s)) {
                issue(s);
            }
        }
    }

    /** A pull-wake worker's claim of the current wake, or of a new one if work is pending. */
    Claim claim(Subscription s, String worker) {
        if (leases.held(s)) {
            return new Claim(null, s.holder);
        }
        if (s.wakeId == null || s.holder != null) {
            if (!cursors.hasPending(s)) {
                return Claim.NOTHING;
            }
            s.generation++;
            s.wakeId = newWakeId();
            s.wakeAnnounced = true;
            Attempts.clear(s);
        }
        ArrayNode snapshot = cursors.snapshot(s);
        leases.hold(s, worker);
        return new Claim(snapshot, null);
    }

    /** Validates token, generation and wake id (PROTOCOL.md §7.3). */
    Fence fence(Subscription s, String id, JsonNode body, String token) {
        CallbackTokens.Claims claims = token == null ? null : tokens.verify(token);
        if (claims == null || !claims.subscription().equals(id) || claims.expiresMillis() < clock.getAsLong()) {
            return Fence.UNAUTHORIZED;
        }
        boolean current = s != null && !s.deleted && s.wakeId != null
                && claims.generation() == s.generation && claims.wakeId().equals(s.wakeId)
                && body.path("generation").asLong(-1) == s.generation
                && s.wakeId.equals(body.path("wake_id").asText(null));
        return current ? Fence.CURRENT : Fence.FENCED;
    }

    /**
     * Applies validated acks ({@code stream}, {@code offset}); with {@code done} ends the wake,
     * otherwise extends the lease (heartbeat). Returns whether a next wake was issued.
     */
    boolean ack(Subscription s, JsonNode acks, boolean done) {
        acks.forEach(a -> cursors.ack(s, a.get("stream").asText(), a.get("offset").asText()));
        if (done) {
            return finish(s);
        }
        leases.extend(s);
        return false;
    }

    /** A worker gives the wake back without acking. */
    void release(Subscription s) {
        finish(s);
    }

    /** Deletes the subscription: its timers stop and in-flight wakes are fenced. */
    void delete(Subscription s) {
        timers.cancel(s.id);
        pullWake.forget(s);
        registry.tombstone(s);
    }

    private void issue(Subscription s) {
        s.generation++;
        s.wakeId = newWakeId();
        s.wakeAnnounced = false;
        s.holder = null;
        s.snapshot.clear();
        s.attempts = 0;
        s.nextAttemptAt = 0;
        Attempts.clear(s);
        registry.persist(s);
        if (s.isWebhook()) {
            webhooks.deliver(s, this::answered);
        } else {
            pullWake.announce(s);
        }
    }

    private void answered(Subscription s, boolean done) {
        if (done) {
            cursors.ackSnapshot(s);
            finish(s);
        } else {
            leases.hold(s, "webhook");
        }
    }

    /** Ends the current wake and lease; issues the next wake if work remains. Returns whether it did. */
    private boolean finish(Subscription s) {
        s.wakeId = null;
        s.holder = null;
        s.leaseExpiresAt = 0;
        s.snapshot.clear();
        Attempts.clear(s);
        timers.cancel(s.id);
        boolean next = cursors.hasPending(s);
        if (next) {
            issue(s);
        } else {
            registry.persist(s);
        }
        return next;
    }

    private String newWakeId() {
        return "w_" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    }
}
