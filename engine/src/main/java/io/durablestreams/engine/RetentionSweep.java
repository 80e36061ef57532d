package io.durablestreams.engine;

import io.durablestreams.engine.store.StorageException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The background side of retention for stores this process owns (memory, file), on its own thread
 * ({@code ds-retention}), never on an event loop. Every round, per stream that has a policy or a
 * snapshot:
 *
 * <ol>
 *   <li><b>frees</b> the space below the start the stream had one round ago ({@link StreamLog#reclaim}),
 *       and never below what a live fork still reads through it — so a read that was planned just
 *       before a start moved (the start is checked when a read begins) finishes on bytes that
 *       still exist;</li>
 *   <li><b>moves the start</b> to the cut the policies allow ({@link Retention#cut}): the log
 *       records it durably ({@link StreamLog#retain}, under the stream lock like an append), and
 *       only then do readers get {@code 410} below it.</li>
 * </ol>
 *
 * A snapshot append moves the start itself when it becomes visible; its space is freed one
 * interval later by {@link #snapshotted}.
 *
 * @see io.durablestreams.engine.store.StreamLog
 */
final class RetentionSweep implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RetentionSweep.class.getName());

    private final StreamRegistry registry;
    private final LongSupplier clock;
    private final long intervalMillis;
    private final ScheduledExecutorService thread;
    private volatile LongConsumer reclaimedListener = bytes -> {};

    RetentionSweep(StreamRegistry registry, LongSupplier clock, long intervalMillis) {
        this.registry = registry;
        this.clock = clock;
        this.intervalMillis = intervalMillis;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ds-retention");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::roundQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    void onReclaimed(LongConsumer listener) {
        reclaimedListener = listener;
    }

    /** Runs one round on the retention thread; completes with the bytes it freed once they are. */
    CompletableFuture<Long> runRound() {
        return CompletableFuture.supplyAsync(this::round, thread).thenCompose(f -> f);
    }

    /** A snapshot of {@code s} became visible: free what lies before it one interval from now. */
    void snapshotted(StreamState s) {
        long start = s.retainedStart;
        try {
            thread.schedule(() -> {
                if (!s.removed) {
                    reclaim(s, start, s.forkRefs() > 0 ? forks() : Map.of());
                }
            }, intervalMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // shutting down: the next start's first round frees it
        }
    }

    private void roundQuietly() {
        try {
            round();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "retention round failed; the next one tries again", e);
        }
    }

    private CompletableFuture<Long> round() {
        long now = clock.getAsLong();
        Map<StreamState, List<StreamState>> forks = forks();
        List<CompletableFuture<Long>> freed = new ArrayList<>();
        List<CompletableFuture<Void>> moved = new ArrayList<>();
        for (StreamState s : new ArrayList<>(registry.all())) {
            if (s.removed || !concerned(s)) {
                continue;
            }
            if (s.whenReady() != null) {
                continue; // its log is loading (whenReady started that); the next round sees it
            }
            long target;
            synchronized (s) {
                target = s.reclaimTarget;
                s.reclaimTarget = s.retainedStart;
            }
            freed.add(reclaim(s, target, forks));
            moved.add(advance(s, now));
        }
        List<CompletableFuture<?>> all = new ArrayList<>(freed);
        all.addAll(moved);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> freed.stream().mapToLong(CompletableFuture::join).sum());
    }

    /** Whether retention has anything to do for {@code s}: a policy, or a start above what was freed. */
    private static boolean concerned(StreamState s) {
        return s.retentionAgeSeconds != null || s.retentionBytes != null || s.retainedStart > s.reclaimedTo;
    }

    /** Live forks by source. */
    private Map<StreamState, List<StreamState>> forks() {
        Map<StreamState, List<StreamState>> out = new IdentityHashMap<>();
        for (StreamState s : registry.all()) {
            if (s.source != null && !s.removed) {
                out.computeIfAbsent(s.source, k -> new ArrayList<>()).add(s);
            }
        }
        return out;
    }

    /**
     * The lowest position {@code s}'s readers, and its forks' readers through it, may still read:
     * its start, or lower where a fork (of a fork...) starts lower.
     */
    private static long need(StreamState s, Map<StreamState, List<StreamState>> forks) {
        long need = s.retainedStart;
        for (StreamState f : forks.getOrDefault(s, List.of())) {
            need = Math.min(need, need(f, forks));
        }
        return need;
    }

    /** Frees {@code s}'s space below {@code target}, but not below what its live forks read through it. */
    private CompletableFuture<Long> reclaim(StreamState s, long target, Map<StreamState, List<StreamState>> forks) {
        List<StreamState> live = forks.getOrDefault(s, List.of());
        if (s.forkRefs() > live.size()) {
            // a fork is being created (or removed): it may read below any floor computed without it
            return CompletableFuture.completedFuture(0L);
        }
        long floor = target;
        for (StreamState f : live) {
            long need = need(f, forks);
            if (need < f.forkPosition) {
                floor = Math.min(floor, need);
            }
        }
        if (floor <= s.reclaimedTo) {
            return CompletableFuture.completedFuture(0L);
        }
        long to = floor;
        CompletableFuture<Long> done = s.reclaiming.thenCompose(v -> s.log.reclaim(to)).handle((bytes, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.WARNING, "freeing the reclaimed space of stream " + Problem.clip(s.name)
                        + " failed; the next round tries again: " + e);
                return 0L;
            }
            s.reclaimedTo = Math.max(s.reclaimedTo, to);
            if (bytes > 0) {
                reclaimedListener.accept(bytes);
            }
            return bytes;
        });
        s.reclaiming = done.thenApply(b -> null);
        return done;
    }

    /**
     * Moves {@code s}'s start to the cut its policies allow, once the log recorded it durably;
     * completes then (never exceptionally: a failure is logged and the next round tries again).
     */
    private CompletableFuture<Void> advance(StreamState s, long now) {
        CompletableFuture<Void> none = CompletableFuture.completedFuture(null);
        if (s.retentionAgeSeconds == null && s.retentionBytes == null) {
            return none;
        }
        CompletableFuture<Void> recorded;
        long cut;
        synchronized (s) {
            if (s.removed || s.retaining) {
                return none;
            }
            cut = Retention.cut(s, now);
            if (cut <= s.retainedStart) {
                return none;
            }
            try {
                recorded = s.log.retain(cut);
            } catch (StorageException e) {
                logFailure(s, e);
                return none;
            }
            s.retaining = true;
        }
        return registry.track(recorded).handle((v, e) -> {
            synchronized (s) {
                s.retaining = false;
                if (e == null && cut > s.retainedStart) {
                    s.retainedStart = cut;
                    s.reclaimTarget = Math.max(s.reclaimTarget, cut); // freed by the next round, one interval on
                }
            }
            if (e != null) {
                logFailure(s, e);
            }
            return null;
        });
    }

    private void logFailure(StreamState s, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "recording the retained start of stream " + Problem.clip(s.name)
                + " failed; the next round tries again: " + e);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
