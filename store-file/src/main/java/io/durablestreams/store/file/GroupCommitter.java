package io.durablestreams.store.file;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Group commit: one sync thread takes every append queued since its last round, across all
 * streams, forces the {@link Journal} once (plus the descriptors and directory entries of streams
 * created since the last round), then completes the futures in queue order. Appenders only write
 * to the page cache and enqueue; no lock they take is held across an {@code fsync}, so
 * throughput under concurrency is not bounded by sync latency, and a round costs one
 * {@code fdatasync} however many streams it covers.
 *
 * <p>Correctness of "force once, complete many": an appender writes its journal record (or a
 * creator marks its new stream) before enqueueing. A round drains the queue, then forces: every
 * write behind a drained future was in the journal before the round's force began.
 *
 * <p>Under {@link FsyncPolicy#INTERVAL} futures complete at submission and the thread forces the
 * journal every interval.
 */
final class GroupCommitter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GroupCommitter.class.getName());

    private record Pending(FileStreamLog log, CompletableFuture<Void> future, RuntimeException failure) {}

    private final Journal journal;
    private final FsyncPolicy policy;
    private final long intervalMs;
    private final StorageFailures failures;
    private final Thread thread;
    /** Concurrent fsyncs per round: {@value}. */
    static final int FORCE_THREADS = 16;
    /** Runs the per-stream force tasks of a round and of checkpoints. */
    private final ExecutorService forcers = Executors.newFixedThreadPool(FORCE_THREADS, r -> {
        Thread t = new Thread(r, "ds-fsync-stream");
        t.setDaemon(true);
        return t;
    });
    private volatile LongConsumer fsyncListener = nanos -> { };
    // guarded by this
    private ArrayDeque<Pending> queue = new ArrayDeque<>();
    private Set<FileStreamLog> created = new LinkedHashSet<>();
    private boolean closing;

    GroupCommitter(Journal journal, FsyncPolicy policy, long intervalMs, StorageFailures failures) {
        this.journal = journal;
        this.policy = policy;
        this.intervalMs = intervalMs;
        this.failures = failures;
        this.thread = new Thread(this::run, "ds-file-store-sync");
        thread.setDaemon(true);
        thread.start();
    }

    /** Notes that {@code log} is new: the next round forces its creation. Call before {@link #submit}. */
    synchronized void markCreated(FileStreamLog log) {
        created.add(log);
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
                toForce = created;
                created = new LinkedHashSet<>();
                last = closing;
            }
            Map<FileStreamLog, RuntimeException> failed = new ConcurrentHashMap<>();
            RuntimeException journalFailure = force(toForce, failed);
            complete(batch, journalFailure, failed);
            if (last) {
                return;
            }
        }
    }

    /**
     * Forces the journal and the creations of the round; returns the journal's failure (which
     * fails every future of the round) and puts the failed creations in {@code failed}.
     * Creations are forced concurrently with the journal (up to {@link #FORCE_THREADS} at once)
     * so the file system can commit them together.
     */
    private RuntimeException force(Set<FileStreamLog> logs, Map<FileStreamLog, RuntimeException> failed) {
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>(logs.size());
        for (FileStreamLog log : logs) {
            running.add(forcers.submit(() -> forceOne(log, failed)));
        }
        RuntimeException journalFailure = null;
        try {
            journal.sync();
        } catch (IOException e) {
            journalFailure = failures.fsyncFailed("fsync of the journal", e);
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.log(System.Logger.Level.ERROR, "fsync task failed", e.getCause());
            }
        }
        fsyncListener.accept(System.nanoTime() - start);
        return journalFailure;
    }

    private void forceOne(FileStreamLog log, Map<FileStreamLog, RuntimeException> failed) {
        try {
            log.forceCreation();
        } catch (IOException e) {
            failed.put(log, failures.fsyncFailed("fsync of the creation of stream " + log.describe(), e));
        }
    }

    /** Receives the duration of every sync round, in nanoseconds (for metrics). */
    void onFsync(LongConsumer listener) {
        this.fsyncListener = listener;
    }

    /** Runs {@code task} on the force pool (checkpoints force many streams at once). */
    <T> Future<T> runForce(Callable<T> task) {
        return forcers.submit(task);
    }

    private static void complete(ArrayDeque<Pending> batch, RuntimeException journalFailure,
                                 Map<FileStreamLog, RuntimeException> failed) {
        for (Pending p : batch) {
            RuntimeException failure = p.failure() != null ? p.failure()
                    : journalFailure != null ? journalFailure : failed.get(p.log());
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
        try {
            // checkpoint tasks may still be forcing and writing checkpoints
            forcers.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
