package io.durablestreams.engine.subscriptions;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One delivery attempt of a wake at a time: a webhook POST, or the append of a pull-wake event.
 * An attempt is begun and ended on the subscription thread and runs in between without it.
 *
 * <p>With a control store of this node alone, the wakes with an attempt in flight are kept in
 * memory. With a shared one, no node's memory speaks for the others: an attempt is a claim in the
 * subscription's record ({@code attempt_by}, {@code attempt_until}), persisted before the attempt
 * starts. Other nodes leave a claimed wake alone until the claim runs out, so a node
 * that stops mid-attempt is taken over once its bound has passed; ending or replacing the wake
 * ({@link #clear}) drops the claim, and an attempt whose claim is gone has its outcome ignored.
 */
final class Attempts {
    private final boolean shared;
    private final SubscriptionRegistry registry;
    private final LongSupplier clock;
    /** This node in claims: a random id per process. */
    private final String node;
    private long sequence;
    /** Store of this node alone: wake ids with an attempt in flight. */
    private final Set<String> inFlight = new HashSet<>();

    Attempts(boolean shared, SubscriptionRegistry registry, LongSupplier clock) {
        this.shared = shared;
        this.registry = registry;
        this.clock = clock;
        byte[] id = new byte[6];
        new SecureRandom().nextBytes(id);
        this.node = HexFormat.of().formatHex(id);
    }

    /**
     * Begins an attempt of the current wake that lasts at most {@code boundMillis}: returns its
     * token, or null if an attempt is in flight already.
     */
    String begin(Subscription s, long boundMillis) {
        if (!shared) {
            return inFlight.add(s.wakeId) ? s.wakeId : null;
        }
        if (claimed(s)) {
            return null;
        }
        s.attemptBy = node + "-" + ++sequence;
        s.attemptUntil = clock.getAsLong() + boundMillis;
        registry.persist(s);
        return s.attemptBy;
    }

    /**
     * Whether the attempt is still the wake's (with a shared store another node takes over a claim
     * that ran out); the caller checks that the wake is still current.
     */
    boolean holds(Subscription s, String attempt) {
        return !shared || attempt.equals(s.attemptBy);
    }

    /** Whether some node's attempt of the current wake is in flight and within its bound. */
    boolean claimed(Subscription s) {
        return shared ? s.attemptBy != null && s.attemptUntil > clock.getAsLong() : inFlight.contains(s.wakeId);
    }

    /** Restarts the bound of an attempt in flight (the lookup is done, the POST begins). Shared store: the caller persists. */
    void extend(Subscription s, String attempt, long boundMillis) {
        if (shared && attempt.equals(s.attemptBy)) {
            s.attemptUntil = clock.getAsLong() + boundMillis;
        }
    }

    /**
     * Ends an attempt; returns whether its outcome counts, i.e. it was still the wake's attempt
     * (with a shared store another node takes over a claim that ran out). Shared store: the
     * caller persists when it acts on the outcome.
     */
    boolean end(Subscription s, String attempt) {
        if (!shared) {
            inFlight.remove(attempt);
            return true;
        }
        if (!holds(s, attempt)) {
            return false;
        }
        clear(s);
        return true;
    }

    /** Drops the claim: the wake it was for ended or was replaced. The caller persists. */
    static void clear(Subscription s) {
        s.attemptBy = null;
        s.attemptUntil = 0;
    }
}
