package io.durablestreams.engine.subscriptions;

import io.durablestreams.engine.store.ControlStore;
import io.durablestreams.engine.store.StorageException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The subscription thread: every task that reads or changes subscription state runs here, one
 * at a time, so that state needs no locks. With a shared control store (nodes of a cluster), each
 * task also runs inside {@link ControlStore#exclusively} after {@link SubscriptionRegistry#reload}:
 * it acts on the records as they are, no other node acts meanwhile, and its changes reach the
 * records before another node can act. With a store of this node alone a task just runs.
 */
final class SubscriptionThread implements Executor {
    private static final System.Logger LOG = System.getLogger(SubscriptionThread.class.getName());

    private final ScheduledExecutorService executor;
    private final ControlStore store;
    private final SubscriptionRegistry registry;
    /** Whether the last background task failed for want of the store (one warning per streak). */
    private boolean failing;

    SubscriptionThread(ControlStore store, SubscriptionRegistry registry) {
        this.store = store;
        this.registry = registry;
        this.executor = Executors.newSingleThreadScheduledExecutor(daemon("ds-subscriptions"));
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs a background task (a continuation, a timer, a notification); a failure is logged. */
    @Override
    public void execute(Runnable task) {
        executor.execute(() -> background(task));
    }

    /** Runs a background task after {@code delayMillis}. */
    ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        return executor.schedule(() -> background(task), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    /** Runs a background task now and then every {@code periodMillis} after the end of the previous run. */
    void every(long periodMillis, Runnable task) {
        executor.scheduleWithFixedDelay(() -> background(task), 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs a task whose caller waits for its result; completes exceptionally with what it threw
     * (a {@link StorageException} when the store could not be reached or its lock not taken).
     */
    <T> CompletableFuture<T> submit(Supplier<T> task) {
        CompletableFuture<T> out = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                out.complete(locked(task));
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    private void background(Runnable task) {
        try {
            locked(() -> {
                task.run();
                return null;
            });
            if (failing) {
                failing = false;
                LOG.log(System.Logger.Level.INFO, "subscription work resumed");
            }
        } catch (StorageException e) {
            if (!failing) {
                failing = true;
                LOG.log(System.Logger.Level.WARNING, "subscription work failed: " + e.getMessage()
                        + (store.shared() ? "; the next sweep takes it up again" : ""));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "subscription work failed", e);
        }
    }

    private <T> T locked(Supplier<T> task) {
        if (!store.shared()) {
            return task.get();
        }
        try {
            return store.exclusively(() -> {
                registry.reload();
                return task.get();
            });
        } catch (RuntimeException e) {
            registry.forget(); // what this node holds may now differ from the records
            throw e;
        }
    }

    void shutdownNow() {
        executor.shutdownNow();
    }
}
