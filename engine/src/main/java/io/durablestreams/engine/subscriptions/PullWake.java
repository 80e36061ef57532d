package io.durablestreams.engine.subscriptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Pull-wake announcements (PROTOCOL.md §7.2): a wake event appended to the subscription's wake
 * stream, which workers read before they claim. The wake stream exists when the subscription is
 * created; if it later refuses the event (deleted, closed, recreated with another content type),
 * the wake stays pending and is announced again on the backoff schedule of {@link Retries}, or
 * at once when the wake stream changes, with one warning per failing streak rather than one per
 * change of a linked stream. One append at a time per wake, also across nodes ({@link Attempts}).
 * Runs on the subscription thread.
 */
final class PullWake {
    private static final System.Logger LOG = System.getLogger(PullWake.class.getName());
    /** How long an append of a wake event may take before another node takes it over. */
    static final long ATTEMPT_BOUND_MS = 30_000;

    private final StreamDirectory streams;
    private final Executor thread;
    private final SubscriptionRegistry registry;
    private final Cursors cursors;
    private final Retries retries;
    private final Attempts attempts;
    private final Timers timers;
    private final LongSupplier clock;
    private final ObjectMapper json;
    /** Subscriptions whose wake stream refused the last event, and whose warning was logged. */
    private final Set<String> refusing = new HashSet<>();

    PullWake(StreamDirectory streams, Executor thread, SubscriptionRegistry registry, Cursors cursors, Retries retries,
             Attempts attempts, Timers timers, LongSupplier clock, ObjectMapper json) {
        this.streams = streams;
        this.thread = thread;
        this.registry = registry;
        this.cursors = cursors;
        this.retries = retries;
        this.attempts = attempts;
        this.timers = timers;
        this.clock = clock;
        this.json = json;
    }

    /** Appends the current wake's event to the wake stream, unless a worker claimed the wake already. */
    void announce(Subscription s) {
        if (s.deleted || s.wakeId == null || s.wakeAnnounced || s.holder != null) {
            return;
        }
        String attempt = attempts.begin(s, ATTEMPT_BOUND_MS);
        if (attempt == null) {
            return; // one event per wake: an append is in flight (here, or on another node)
        }
        String wakeId = s.wakeId;
        String wakeStream = s.config.wakeStream();
        ObjectNode event = json.createObjectNode().put("type", "wake").put("subscription_id", s.id)
                .put("stream", cursors.firstPending(s)).put("generation", s.generation).put("ts", clock.getAsLong());
        streams.appendJson(wakeStream, event.toString()).whenCompleteAsync((ok, err) -> {
            if (s.deleted || !wakeId.equals(s.wakeId) || s.wakeAnnounced) {
                attempts.end(s, attempt);
                return;
            }
            if (!attempts.end(s, attempt)) {
                return; // another node took the append over; its outcome counts
            }
            if (err == null && Boolean.TRUE.equals(ok)) {
                s.wakeAnnounced = true;
                retries.succeeded(s);
                registry.persist(s);
                if (refusing.remove(s.id)) {
                    LOG.log(System.Logger.Level.INFO, "wake stream " + wakeStream + " of subscription " + s.id
                            + " accepts wake events again");
                }
                return;
            }
            if (refusing.add(s.id)) {
                LOG.log(System.Logger.Level.WARNING, "wake stream " + wakeStream + " of subscription " + s.id
                        + " refuses wake events (deleted, closed, or not JSON); retrying with backoff");
            }
            retries.failed(s, "wake stream " + wakeStream + " refuses wake events (deleted, closed, or not JSON)");
            registry.persist(s);
            if (s.holder == null) { // a worker that claimed meanwhile owns the timer (its lease)
                retryWhenDue(s);
            }
        }, thread);
    }

    /** After a restart: announce a wake whose event was not written, when its schedule says. */
    void resume(Subscription s) {
        retryWhenDue(s);
    }

    private void retryWhenDue(Subscription s) {
        timers.scheduleWhenDue(s.id, () -> retries.remaining(s), () -> announce(s));
    }

    /** The subscription was deleted: a later one with its id starts with a clean slate. */
    void forget(Subscription s) {
        refusing.remove(s.id);
    }

    /** A stream was created or appended to: if it is a refusing wake stream, try again now. */
    void streamChanged(String name) {
        for (Subscription s : registry.all()) {
            if (!s.deleted && !s.isWebhook() && s.failed && name.equals(s.config.wakeStream())
                    && s.wakeId != null && !s.wakeAnnounced && s.holder == null) {
                timers.cancel(s.id);
                announce(s);
            }
        }
    }
}
