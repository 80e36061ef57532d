package io.durablestreams.engine.subscriptions;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.function.LongSupplier;

/**
 * One timer per subscription on the subscription thread: a lease expiry or a delivery retry
 * (a subscription waits for at most one of them at a time), so scheduling replaces the previous one.
 * Timers are this node's: with a shared control store the task re-checks the state it finds,
 * which another node may have changed meanwhile.
 */
final class Timers {
    private final SubscriptionThread thread;
    private final Map<String, ScheduledFuture<?>> timers = new HashMap<>();

    Timers(SubscriptionThread thread) {
        this.thread = thread;
    }

    void schedule(String id, long delayMillis, Runnable task) {
        cancel(id);
        timers.put(id, thread.schedule(task, delayMillis));
    }

    /**
     * Runs {@code task} once {@code remaining} reports no time left; if it still reports some when
     * the timer fires (the schedule was moved, here or by another node), waits that long again.
     */
    void scheduleWhenDue(String id, LongSupplier remaining, Runnable task) {
        schedule(id, remaining.getAsLong(), () -> {
            long left = remaining.getAsLong();
            if (left > 0) {
                scheduleWhenDue(id, remaining, task);
            } else {
                task.run();
            }
        });
    }

    void cancel(String id) {
        ScheduledFuture<?> f = timers.remove(id);
        if (f != null) {
            f.cancel(false);
        }
    }
}
