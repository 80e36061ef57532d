package io.durablestreams.engine.subscriptions;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One timer per subscription on the subscription thread: a lease expiry or a delivery retry
 * (a subscription waits for at most one of them at a time), so scheduling replaces the previous one.
 */
final class Timers {
    private final ScheduledExecutorService thread;
    private final Map<String, ScheduledFuture<?>> timers = new HashMap<>();

    Timers(ScheduledExecutorService thread) {
        this.thread = thread;
    }

    void schedule(String id, long delayMillis, Runnable task) {
        cancel(id);
        timers.put(id, thread.schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS));
    }

    void cancel(String id) {
        ScheduledFuture<?> f = timers.remove(id);
        if (f != null) {
            f.cancel(false);
        }
    }
}
