package io.durablestreams.store.file;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Group commit: one sync thread takes every append queued since its last round, across all
 * streams, forces each dirty log's files once, then completes the futures in queue order.
 * Appenders only write to the page cache and enqueue; no lock they take is held across an
 * {@code fsync}, so throughput under concurrency is not bounded by sync latency.
 *
 * <p>Correctness of "force once, complete many": an appender marks its log dirty after writing
 * and before enqueueing. A round drains the queue, then takes the dirty set, then forces. So every
 * write behind a drained future was marked before the round took the dirty set, and is covered
 * by this round's force or an earlier one.
 *
 * <p>Under {@link FsyncPolicy#INTERVAL} futures complete at submission and the thread forces the
 * dirty logs every interval.
 */
final class GroupCommitter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GroupCommitter.class.getName());

    private record Pending(FileStreamLog log, CompletableFuture<Void> future, RuntimeException failure) {}

    private final FsyncPolicy policy;
    private final long intervalMs;
    private final StorageFailures failures;
    private final Thread thread;
    // guarded by this
    private ArrayDeque<Pending> queue = new ArrayDeque<>();
    private Set<FileStreamLog> dirty = new LinkedHashSet<>();
    private boolean closing;

    GroupCommitter(FsyncPolicy policy, long intervalMs, StorageFailures failures) {
        this.policy = policy;
        this.intervalMs = intervalMs;
        this.failures = failures;
        this.thread = new Thread(this::run, "ds-file-store-sync");
        thread.setDaemon(true);
        thread.start();
    }

    /** Notes that {@code log} has bytes to force. Call after writing, before {@link #submit}. */
    synchronized void markDirty(FileStreamLog log) {
        dirty.add(log);
    }

    /**
     * A future that completes once everything {@code log} wrote before this call is durable (per
     * the policy), or fails with {@code failure} when it is not null; futures complete in call order.
     */
    CompletableFuture<Void> submit(FileStreamLog log, RuntimeException failure) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (this) {
            if (closing && failure == null) {
                failure = new IllegalStateException("file store is closed");
            }
            if (policy == FsyncPolicy.ALWAYS) {
                queue.add(new Pending(log, f, failure));
                notifyAll();
                return f;
            }
        }
        if (failure == null) {
            f.complete(null);
        } else {
            f.completeExceptionally(failure);
        }
        return f;
    }

    private void run() {
        while (true) {
            ArrayDeque<Pending> batch;
            Set<FileStreamLog> toForce;
            boolean last;
            synchronized (this) {
                try {
                    if (policy == FsyncPolicy.ALWAYS) {
                        while (queue.isEmpty() && !closing) {
                            wait();
                        }
                    } else if (!closing) {
                        wait(intervalMs);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closing = true;
                }
                batch = queue;
                queue = new ArrayDeque<>();
                toForce = dirty;
                dirty = new LinkedHashSet<>();
                last = closing;
            }
            complete(batch, force(toForce));
            if (last) {
                return;
            }
        }
    }

    private Map<FileStreamLog, RuntimeException> force(Set<FileStreamLog> logs) {
        Map<FileStreamLog, RuntimeException> failed = new HashMap<>();
        for (FileStreamLog log : logs) {
            try {
                log.forceDirty();
            } catch (IOException e) {
                failed.put(log, failures.fsyncFailed("fsync of stream " + log.describe(), e));
            }
        }
        return failed;
    }

    private static void complete(ArrayDeque<Pending> batch, Map<FileStreamLog, RuntimeException> failed) {
        for (Pending p : batch) {
            RuntimeException failure = p.failure() != null ? p.failure() : failed.get(p.log());
            try {
                if (failure == null) {
                    p.future().complete(null);
                } else {
                    p.future().completeExceptionally(failure);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "append completion callback failed", e);
            }
        }
    }

    /** Runs a last round (forcing everything still dirty), then stops the thread. */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
