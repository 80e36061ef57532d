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
    /** Concurrent fsyncs per round: {@value}. */
    static final int FORCE_THREADS = 16;
    /** Runs the per-stream force tasks of a round. */
    private final java.util.concurrent.ExecutorService forcers = java.util.concurrent.Executors.newFixedThreadPool(FORCE_THREADS, r -> {
        Thread t = new Thread(r, "ds-fsync-stream");
        t.setDaemon(true);
        return t;
    });
    /**
     * Runs single-file fsyncs for the stream tasks; separate from {@link #forcers} so a stream task
     * waiting for its files can never starve them.
     */
    private final java.util.concurrent.ExecutorService fsyncPool = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ds-fsync-file");
        t.setDaemon(true);
        return t;
    });
    private volatile java.util.function.LongConsumer fsyncListener = nanos -> { };
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

    /**
     * Forces every dirty log of the round. The fsyncs of different files run concurrently (up to
     * {@link #FORCE_THREADS}): the file system can then commit them together, so a round over many
     * streams costs about one sync, not one per stream.
     */
    private Map<FileStreamLog, RuntimeException> force(Set<FileStreamLog> logs) {
        Map<FileStreamLog, RuntimeException> failed = new java.util.concurrent.ConcurrentHashMap<>();
        if (logs.isEmpty()) {
            return failed;
        }
        long start = System.nanoTime();
        if (logs.size() == 1) {
            forceOne(logs.iterator().next(), failed);
        } else {
            java.util.List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>(logs.size());
            for (FileStreamLog log : logs) {
                running.add(forcers.submit(() -> forceOne(log, failed)));
            }
            for (java.util.concurrent.Future<?> f : running) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.log(System.Logger.Level.ERROR, "fsync task failed", e.getCause());
                }
            }
        }
        fsyncListener.accept(System.nanoTime() - start);
        return failed;
    }

    private void forceOne(FileStreamLog log, Map<FileStreamLog, RuntimeException> failed) {
        try {
            log.forceDirty();
        } catch (IOException e) {
            failed.put(log, failures.fsyncFailed("fsync of stream " + log.describe(), e));
        }
    }

    /** Forces one file on the sync pool (the caller waits for the result). */
    java.util.concurrent.Future<Void> forceAsync(java.nio.channels.FileChannel channel) {
        return fsyncPool.submit(() -> {
            channel.force(false);
            return null;
        });
    }

    /** Receives the duration of every sync round, in nanoseconds (for metrics). */
    void onFsync(java.util.function.LongConsumer listener) {
        this.fsyncListener = listener;
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
        forcers.shutdown();
        fsyncPool.shutdown();
    }
}
