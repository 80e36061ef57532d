package io.durablestreams.engine.subscriptions;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Leases of wakes (PROTOCOL.md §7.3): held by a pull-wake worker from its claim, or by the
 * webhook receiver from its accepting answer; extended by acks without {@code done}; when one
 * runs out, {@code onExpired} ends the wake.
 */
final class Leases {
    private static final System.Logger LOG = System.getLogger(Leases.class.getName());

    private final SubscriptionRegistry registry;
    private final Timers timers;
    private final LongSupplier clock;
    private final Consumer<Subscription> onExpired;

    Leases(SubscriptionRegistry registry, Timers timers, LongSupplier clock, Consumer<Subscription> onExpired) {
        this.registry = registry;
        this.timers = timers;
        this.clock = clock;
        this.onExpired = onExpired;
    }

    /** Whether someone holds an unexpired lease. */
    boolean held(Subscription s) {
        return s.holder != null && s.leaseExpiresAt > clock.getAsLong();
    }

    /** Gives the current wake's lease to {@code holder} for the subscription's lease TTL. */
    void hold(Subscription s, String holder) {
        s.holder = holder;
        extend(s);
    }

    /** Restarts the lease TTL (a heartbeat). */
    void extend(Subscription s) {
        s.leaseExpiresAt = clock.getAsLong() + s.config.leaseTtlMs();
        registry.persist(s);
        arm(s);
    }

    /**
     * Schedules the expiry of the lease as persisted (after a restart too). If the lease was
     * extended meanwhile (here, or on another node), the timer waits for the new expiry.
     */
    void arm(Subscription s) {
        long generation = s.generation;
        timers.scheduleWhenDue(s.id, () -> current(s, generation) ? s.leaseExpiresAt - clock.getAsLong() : 0, () -> {
            if (current(s, generation)) {
                expired(s);
            }
        });
    }

    /** Ends a lease that ran out. */
    void expired(Subscription s) {
        LOG.log(System.Logger.Level.INFO, "lease of subscription " + s.id + " expired (holder " + s.holder + ")");
        onExpired.accept(s);
    }

    private static boolean current(Subscription s, long generation) {
        return !s.deleted && s.generation == generation && s.holder != null;
    }
}
