package io.durablestreams.store.file;

import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.StreamLog;
import io.durablestreams.engine.store.StreamStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * The durable file store: one directory per stream incarnation (layout: {@link StoreFiles},
 * ARCHITECTURE.md ("The file store")), a store-wide {@link Journal} forced by group commit
 * ({@link GroupCommitter}), checkpoints that force the streams' files and retire the journal
 * behind them, recovery ({@link StreamRecovery}, then a journal replay).
 *
 * <p>Startup: after a clean shutdown ({@code clean-shutdown} marker present) the {@code catalog}
 * alone describes every stream and no stream directory is read; segment lists and message
 * indexes load lazily on first use. Otherwise every stream directory is recovered from its best
 * checkpoint (its {@code checkpoint} file or its catalog entry, whichever covers more). Either way
 * the marker is durably removed before the first write.
 *
 * <p>Threads: request threads only write to the page cache (appends) and read. Everything that
 * waits for the disk runs on the store's own threads and completes a future there: the sync
 * thread (group commit), the checkpointer, and {@value #IO_THREADS} I/O threads for creations,
 * deletions, incarnation reservations and the first load of a stream's message index.
 *
 * <p>Thread-safe.
 */
public final class FileStorage implements StreamStorage {
    private static final System.Logger LOG = System.getLogger(FileStorage.class.getName());
    /** Incarnation ids reserved per durable write of {@code store.meta}: {@value}. */
    static final long INCARNATION_BLOCK = 1024;

    private final FileStoreConfig config;
    private final Path root;
    private final StorageFailures failures = new StorageFailures();
    private final FileHandles handles;
    private final GroupCommitter committer;
    private final Journal journal;
    /** Streams with writes not yet forced to their own files (their handles stay pinned until then). */
    private final AtomicInteger unforcedLogs = new AtomicInteger();
    private final AtomicBoolean checkpointRequested = new AtomicBoolean();
    private final ConcurrentHashMap<Long, FileStreamLog> logs = new ConcurrentHashMap<>();
    /** Streams recovered at once after a crash: {@value} (recovery is mostly waiting for reads). */
    static final int RECOVERY_THREADS = 8;
    private final ScheduledExecutorService checkpointer;
    /** Threads for the store's slow operations, so request threads never wait for a disk: {@value}. */
    static final int IO_THREADS = 4;
    /** Runs creations, deletions, incarnation reservations and index loads (see {@link #onIo}). */
    private final ExecutorService io = Executors.newFixedThreadPool(IO_THREADS, r -> {
        Thread t = new Thread(r, "ds-file-store-io");
        t.setDaemon(true);
        return t;
    });
    private final DataDirectoryLock lock;
    private final Object shardLock = new Object();
    private List<RecoveredStream> recovered;
    private volatile boolean closed;
    // guarded by this
    private long lastIncarnation;
    private long reservedIncarnations;
    /** The reservation of the next block of incarnation ids being written, or null. */
    private CompletableFuture<Void> reservation;

    /**
     * Opens (creating if needed) and recovers the store in {@code config.dataDir()}.
     *
     * @throws DataDirectoryException if the directory is in use by another process, or cannot be
     *                                created, locked or read
     */
    public FileStorage(FileStoreConfig config) {
        this.config = config;
        this.root = config.dataDir();
        this.lock = DataDirectoryLock.acquire(root);
        this.handles = new FileHandles(config.opener(), config.maxOpenFiles());
        try {
            Files.createDirectories(StoreFiles.streamsDir(root));
            long started = System.nanoTime();
            long journalSequence = open();
            this.journal = new Journal(Journal.directory(root), config.opener(), config.journalFileBytes(), journalSequence,
                    this::requestCheckpoint, failures);
            LOG.log(System.Logger.Level.INFO, "file store " + root + ": " + recovered.size() + " streams ready in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
        } catch (IOException e) {
            handles.close();
            lock.close();
            throw DataDirectoryException.unusable(root, e);
        } catch (RuntimeException | Error e) {
            handles.close();
            lock.close();
            throw e;
        }
        this.committer = new GroupCommitter(journal, config.fsyncPolicy(), config.fsyncIntervalMs(), failures);
        this.checkpointer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ds-file-store-checkpoint");
            t.setDaemon(true);
            return t;
        });
        checkpointer.scheduleWithFixedDelay(this::checkpointAll, config.checkpointIntervalMs(),
                config.checkpointIntervalMs(), TimeUnit.MILLISECONDS);
    }

    /** Recovers the streams (into {@link #recovered}); returns the sequence number for the first new journal file. */
    private long open() throws IOException {
        byte[] meta = SealedBlob.read(root.resolve(StoreFiles.STORE_META), SealedBlob.STORE_MAGIC);
        reservedIncarnations = meta == null ? 0 : MetaCodec.storeMeta(meta);
        Path marker = root.resolve(StoreFiles.CLEAN_SHUTDOWN);
        boolean clean = Files.exists(marker);
        SealedBlob.Body catalogBody = SealedBlob.readVersioned(root.resolve(StoreFiles.CATALOG), SealedBlob.CATALOG_MAGIC);
        Map<Long, MetaCodec.Entry> catalog = catalogBody == null ? Map.of() : MetaCodec.catalog(catalogBody);
        Path journalDir = Journal.directory(root);
        if (!Files.isDirectory(journalDir)) {
            Files.createDirectories(journalDir);
            Fsync.directory(root);
        }
        List<Path> journalFiles = Journal.list(journalDir);
        if (clean && catalogBody != null) {
            catalog.values().forEach(e -> logs.put(e.descriptor().incarnation(), new FileStreamLog(this, e.descriptor(),
                    StoreFiles.streamDir(root, e.descriptor().incarnation()), e.checkpoint(), null)));
        } else {
            if (clean) {
                LOG.log(System.Logger.Level.WARNING, "file store " + root + " has a clean-shutdown marker but no valid "
                        + StoreFiles.CATALOG + "; recovering every stream");
            } else if (meta != null || catalogBody != null || !journalFiles.isEmpty() || holdsStreams()) {
                LOG.log(System.Logger.Level.INFO, "file store " + root + " was not shut down cleanly; recovering every stream");
            } // else a new directory: nothing ran here before, so there is nothing to recover
            recoverAll(catalog);
            replay(journalFiles);
        }
        // after a clean shutdown every stream file was forced before the catalog; after a replay, the replayed streams were
        long nextJournal = journalFiles.isEmpty() ? 1 : Journal.sequenceOf(journalFiles.get(journalFiles.size() - 1)) + 1;
        for (Path f : journalFiles) {
            Files.delete(f);
        }
        if (!journalFiles.isEmpty()) {
            Fsync.directory(journalDir);
        }
        // 1. remove the marker and make that durable before any write: if we crash after this,
        //    the next start recovers every stream (using the catalog entries as checkpoints).
        if (Files.deleteIfExists(marker)) {
            Fsync.directory(root);
        }
        long maxSeen = logs.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        lastIncarnation = Math.max(reservedIncarnations, maxSeen);
        recovered = recoveredStreams();
        return nextJournal;
    }

    /**
     * Writes into the recovered streams what the journal holds beyond them, then forces every stream
     * the journal mentions: after a process crash their files may hold the rest only in the page
     * cache, and the journal is deleted next.
     */
    private void replay(List<Path> journalFiles) throws IOException {
        Set<FileStreamLog> mentioned = new HashSet<>();
        Set<FileStreamLog> unforced = new HashSet<>();
        long[] written = {0};
        long records = Journal.replay(journalFiles, config.opener(), (incarnation, segmentBase, logOffset, record, payload) -> {
            FileStreamLog log = logs.get(incarnation);
            if (log != null) {
                mentioned.add(log);
                unforced.add(log);
                if (log.replay(segmentBase, logOffset, record, payload)) {
                    written[0]++;
                }
                if (unforced.size() > config.maxOpenFiles() / 4) {
                    forceAll(unforced); // their handles stay pinned until forced: bound them
                }
            }
        });
        forceAll(unforced);
        if (records > 0) {
            LOG.log(System.Logger.Level.INFO, "journal replay: " + records + " records read, " + written[0]
                    + " written back into " + mentioned.size() + " streams");
        }
    }

    private static void forceAll(Set<FileStreamLog> logs) throws IOException {
        for (FileStreamLog log : logs) {
            log.forceDirty();
        }
        logs.clear();
    }

    /** Whether any shard directory exists, that is, a stream was ever created here. */
    private boolean holdsStreams() throws IOException {
        try (Stream<Path> shards = Files.list(StoreFiles.streamsDir(root))) {
            return shards.findAny().isPresent();
        }
    }

    private void recoverAll(Map<Long, MetaCodec.Entry> catalog) throws IOException {
        List<Path> shards;
        try (Stream<Path> s = Files.list(StoreFiles.streamsDir(root))) {
            shards = s.sorted().toList();
        }
        List<Path> dirs = new ArrayList<>();
        for (Path shard : shards) {
            try (Stream<Path> s = Files.list(shard)) {
                s.sorted().forEach(dirs::add);
            }
        }
        // streams recover independently and mostly wait on the disk: overlap them
        ForkJoinPool pool = new ForkJoinPool(RECOVERY_THREADS);
        try {
            pool.submit(() -> dirs.parallelStream().forEach(dir -> {
                try {
                    recoverDir(dir, catalog);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            })).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while recovering " + root, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException("recovering " + root + " failed", cause);
        } finally {
            pool.shutdown();
        }
    }

    private void recoverDir(Path dir, Map<Long, MetaCodec.Entry> catalog) throws IOException {
        String name = dir.getFileName().toString();
        if (name.endsWith(StoreFiles.DELETED_SUFFIX)) {
            LOG.log(System.Logger.Level.INFO, "finishing the interrupted delete of " + dir);
            removeTree(dir);
            return;
        }
        long incarnation = StoreFiles.incarnationOf(name);
        if (incarnation < 0) {
            LOG.log(System.Logger.Level.WARNING, "ignoring unexpected entry " + dir);
            return;
        }
        MetaCodec.Entry entry = catalog.get(incarnation);
        StreamDescriptor d = entry != null ? entry.descriptor() : readDescriptor(dir);
        if (d == null) {
            // stream.meta is forced before a create is acknowledged: this creation never was
            LOG.log(System.Logger.Level.INFO, "removing unacknowledged creation " + dir + " (no whole stream.meta)");
            removeTree(dir);
            return;
        }
        Checkpoint best = entry == null ? null : entry.checkpoint();
        SealedBlob.Body cpBody = SealedBlob.readVersioned(dir.resolve(StoreFiles.CHECKPOINT), SealedBlob.CHECKPOINT_MAGIC);
        if (cpBody != null) {
            Checkpoint own = MetaCodec.checkpoint(cpBody, d);
            if (best == null || own.isAfter(best) || !best.isAfter(own) && own.lastAccessMillis() > best.lastAccessMillis()) {
                best = own;
            }
        }
        StreamRecovery.Result r = StreamRecovery.recover(dir, d, best, config.opener());
        long lastAccess = best == null ? d.createdAtMillis() : best.lastAccessMillis();
        Checkpoint at = new Checkpoint(r.tail(), r.activeBase(), r.logEnd(), lastAccess, r.state());
        logs.put(incarnation, new FileStreamLog(this, d, dir, at, r.segmentBases()));
    }

    private static StreamDescriptor readDescriptor(Path dir) throws IOException {
        SealedBlob.Body body = SealedBlob.readVersioned(dir.resolve(StoreFiles.STREAM_META), SealedBlob.STREAM_MAGIC);
        return body == null ? null : MetaCodec.descriptor(body);
    }

    /** Sources before forks (a source always has the smaller incarnation); forks of a lost source are left out. */
    private List<RecoveredStream> recoveredStreams() {
        List<FileStreamLog> sorted = new ArrayList<>(logs.values());
        sorted.sort(Comparator.comparingLong(l -> l.descriptor.incarnation()));
        Set<Long> present = new HashSet<>();
        List<RecoveredStream> out = new ArrayList<>(sorted.size());
        for (FileStreamLog log : sorted) {
            StreamDescriptor d = log.descriptor;
            if (d.isFork() && !present.contains(d.sourceIncarnation())) {
                LOG.log(System.Logger.Level.ERROR, "stream " + log.describe() + " is a fork of incarnation "
                        + d.sourceIncarnation() + ", which is missing; leaving it out (its files stay in " + log.dir + ")");
                logs.remove(d.incarnation());
                continue;
            }
            present.add(d.incarnation());
            out.add(log.recovered());
        }
        return out;
    }

    @Override
    public synchronized List<RecoveredStream> recover() {
        List<RecoveredStream> out = recovered == null ? List.of() : recovered;
        recovered = null;
        return out;
    }

    /** Creates the stream's directory, descriptor and first segment on an I/O thread (see {@link #createNow}). */
    @Override
    public CompletableFuture<StreamLog> createLog(StreamDescriptor d) {
        return onIo(() -> createNow(d));
    }

    private StreamLog createNow(StreamDescriptor d) {
        if (closed) {
            throw new IllegalStateException("file store " + root + " is closed");
        }
        RuntimeException refused = failures.refusal();
        if (refused != null) {
            throw refused;
        }
        Path dir = StoreFiles.streamDir(root, d.incarnation());
        Path shard = dir.getParent();
        try {
            ensureShard(shard);
            Files.createDirectory(dir);
            Path meta = dir.resolve(StoreFiles.STREAM_META);
            Files.write(meta, SealedBlob.seal(SealedBlob.STREAM_MAGIC, MetaCodec.descriptor(d)), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            FileStreamLog log = new FileStreamLog(this, d, dir, Checkpoint.empty(d.forkPosition(), d.createdAtMillis(), d), null);
            log.createFiles(List.of(meta, dir, shard));
            logs.put(d.incarnation(), log);
            return log;
        } catch (IOException e) {
            throw failures.classify("creating stream " + d.incarnation() + " in " + dir, e);
        }
    }

    /**
     * Creates a shard directory durably before any stream in it can be acknowledged. Every create
     * passes the lock, so none can overtake the {@code fsync} of a shard another one just made.
     */
    private void ensureShard(Path shard) throws IOException {
        synchronized (shardLock) {
            if (!Files.isDirectory(shard)) {
                Files.createDirectories(shard);
                Fsync.directory(shard.getParent());
            }
        }
    }

    /**
     * Hands out the next id of the reserved block at once; when the block is used up, the next one
     * is reserved first by a durable rewrite of {@code store.meta} on an I/O thread (one at a time;
     * callers meanwhile wait for it).
     */
    @Override
    public CompletableFuture<Long> nextIncarnation() {
        CompletableFuture<Void> pending;
        synchronized (this) {
            if (lastIncarnation < reservedIncarnations) {
                return CompletableFuture.completedFuture(++lastIncarnation);
            }
            if (reservation == null) {
                long upTo = lastIncarnation + INCARNATION_BLOCK;
                // the task takes this monitor after the assignment below (which holds it), and before its future completes
                reservation = onIo(() -> reserve(upTo));
            }
            pending = reservation;
        }
        return pending.thenCompose(v -> nextIncarnation());
    }

    private Void reserve(long upTo) {
        try {
            SealedBlob.writeAtomically(root.resolve(StoreFiles.STORE_META), SealedBlob.STORE_MAGIC, MetaCodec.storeMeta(upTo), true);
            synchronized (this) {
                reservedIncarnations = upTo;
            }
            return null;
        } catch (IOException e) {
            throw failures.classify("reserving incarnations up to " + upTo + " in " + root.resolve(StoreFiles.STORE_META), e);
        } finally {
            synchronized (this) {
                reservation = null;
            }
        }
    }

    /**
     * Runs {@code task} on the store's I/O threads; its future completes there. Fails with
     * "closed" once the store is closing.
     */
    <T> CompletableFuture<T> onIo(java.util.function.Supplier<T> task) {
        try {
            return CompletableFuture.supplyAsync(task, io);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("file store " + root + " is closed"));
        }
    }

    /**
     * Deletes a stream's files, on an I/O thread; completes once that is durable. 1. rename
     * {@code <id>} to {@code <id>.deleted} and force the shard directory (if we crash here,
     * recovery removes the tombstone: the stream stays deleted); 2. close its handles; 3. remove
     * the files, then the directory (if we crash here, likewise).
     */
    CompletableFuture<Void> deleteStream(FileStreamLog log) {
        return onIo(() -> {
            deleteNow(log);
            return null;
        });
    }

    private void deleteNow(FileStreamLog log) {
        logs.remove(log.descriptor.incarnation());
        Path tombstone = log.dir.resolveSibling(log.dir.getFileName() + StoreFiles.DELETED_SUFFIX);
        try {
            Files.move(log.dir, tombstone);
            Fsync.directory(log.dir.getParent());
        } catch (IOException e) {
            throw failures.classify("deleting stream " + log.describe() + " (rename of " + log.dir + ")", e);
        }
        handles.retireAll(log.dir);
        try {
            removeTree(tombstone);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "removing " + tombstone + " failed; the next start finishes it", e);
        }
    }

    private static void removeTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    /**
     * A checkpoint cycle. 1. start a new journal file (appends from now on go there); 2. force
     * every stream written since its last checkpoint and write its checkpoint; 3. delete the
     * journal files before the one started in 1: everything they hold is now in forced stream files.
     * If we crash before 3, recovery replays them again, which skips what the streams already have.
     */
    private void checkpointAll() {
        try {
            if (closed) {
                return;
            }
            long keepFrom = journal.rotate();
            List<Future<Boolean>> forced = new ArrayList<>();
            for (FileStreamLog log : logs.values()) {
                if (log.checkpointDue()) {
                    forced.add(committer.runForce(log::checkpointIfDirty));
                }
            }
            boolean allForced = true;
            for (Future<Boolean> f : forced) {
                allForced &= f.get();
            }
            if (allForced && !closed) {
                journal.deleteBefore(keepFrom);
            }
        } catch (IOException | RuntimeException | ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "checkpoint cycle failed; the journal is kept until one succeeds", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a checkpoint cycle soon (the journal file is full, or many streams hold unforced writes). */
    private void requestCheckpoint() {
        if (checkpointer != null && !closed && checkpointRequested.compareAndSet(false, true)) {
            try {
                checkpointer.execute(() -> {
                    checkpointRequested.set(false);
                    checkpointAll();
                });
            } catch (RejectedExecutionException e) {
                checkpointRequested.set(false);
            }
        }
    }

    /** Counts streams holding unforced writes; too many (pinned handles) asks for a checkpoint. */
    void unforcedLogs(int delta) {
        if (unforcedLogs.addAndGet(delta) > config.maxOpenFiles() / 4 && delta > 0) {
            requestCheckpoint();
        }
    }

    /**
     * Clean shutdown. 1. stop the checkpointer and run a last sync round (everything written is
     * forced); 2. write the catalog atomically (if we crash here, the next start recovers every
     * stream, using the catalog as checkpoints); 3. create the {@code clean-shutdown} marker and
     * force the directory (from here, the next start reads only the catalog). Skips 2–3 after an
     * fsync failure, so the next start re-verifies everything.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        checkpointer.shutdown();
        io.shutdown();
        try {
            checkpointer.awaitTermination(1, TimeUnit.MINUTES);
            // creations and deletions in flight finish; a creation's sync round is the committer's last one
            io.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        committer.close();
        try {
            if (failures.refusal() == null) {
                writeCatalog();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "writing the catalog failed; the next start recovers every stream", e);
        } finally {
            closeJournal();
            handles.close();
            lock.close();
        }
    }

    private void writeCatalog() throws IOException {
        List<MetaCodec.Entry> entries = new ArrayList<>(logs.size());
        for (FileStreamLog log : logs.values()) {
            if (!log.isDeleted()) {
                log.forceDirty();
                entries.add(new MetaCodec.Entry(log.descriptor, log.snapshot()));
            }
        }
        SealedBlob.writeAtomically(root.resolve(StoreFiles.CATALOG), SealedBlob.CATALOG_MAGIC,
                MetaCodec.catalog(entries, entries.size()), true);
        journal.close(true);
        Files.deleteIfExists(root.resolve(StoreFiles.CLEAN_SHUTDOWN));
        Files.createFile(root.resolve(StoreFiles.CLEAN_SHUTDOWN));
        Fsync.directory(root);
        LOG.log(System.Logger.Level.INFO, "file store " + root + " closed cleanly with " + entries.size() + " streams");
    }

    /**
     * Stops the store the way {@code kill -9} would leave its files: no checkpoint, no catalog, no
     * marker. (The sync thread's last round still runs; a process crash keeps the page cache, so
     * the files look the same either way.) For crash tests.
     */
    void abandon() {
        closed = true;
        checkpointer.shutdownNow();
        io.shutdownNow();
        try {
            checkpointer.awaitTermination(1, TimeUnit.MINUTES);
            io.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        committer.close();
        closeJournal();
        handles.close();
        lock.close();
    }

    private void closeJournal() {
        try {
            journal.close(false);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the journal failed", e);
        }
    }

    Journal journal() {
        return journal;
    }

    FileStoreConfig config() {
        return config;
    }

    FileHandles handles() {
        return handles;
    }

    @Override
    public void onSync(LongConsumer listener) {
        committer.onFsync(listener);
    }

    /** Payload bytes of every live stream (record logs and metadata not counted). */
    @Override
    public long storedBytes() {
        long total = 0;
        for (FileStreamLog log : logs.values()) {
            total += log.tail() - log.heldFrom();
        }
        return total;
    }

    GroupCommitter committer() {
        return committer;
    }

    StorageFailures failures() {
        return failures;
    }

    boolean isClosed() {
        return closed;
    }

    /** Open file handles now (for tests of the LRU bound). */
    int openFileCount() {
        return handles.openCount();
    }
}
