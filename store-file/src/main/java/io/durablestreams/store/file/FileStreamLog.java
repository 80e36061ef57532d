package io.durablestreams.store.file;

import io.durablestreams.engine.store.AppendEntry;
import io.durablestreams.engine.store.FileSlice;
import io.durablestreams.engine.store.LongList;
import io.durablestreams.engine.store.MessageIndex;
import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.StreamLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * One stream incarnation on disk: payload bytes in {@code <base>.data} segments, one
 * {@link RecordFormat} record per append in the matching {@code <base>.log}. An append writes
 * its payload, then its record, to the page cache under this log's monitor, then the same record
 * with its payload to the store's {@link Journal}, and hands the durability wait to the
 * {@link GroupCommitter} (which forces the journal). This log's own files are forced at
 * checkpoints; until then a crash may take back what the journal replays.
 *
 * <p>Thread-safety: the engine serializes mutations per stream; readers call the query methods
 * concurrently. Segment list, tail, writer state and the message index are guarded by
 * {@code this}; data reads, and the scan of the record logs that builds the message index (on an
 * I/O thread, see {@link #ready()}), run outside the monitor with pinned handles. Forcing is serialized by
 * {@code forceLock} (per log, never global): a force that finds nothing left to force (another one
 * took the dirty handles) must not return, and let its caller write a checkpoint, while that other
 * force of the same files is still running.
 */
final class FileStreamLog implements StreamLog {
    private static final System.Logger LOG = System.getLogger(FileStreamLog.class.getName());
    /** Characters of a stream name quoted in messages: {@value}. */
    private static final int NAME_CLIP_CHARS = 80;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final FileStorage store;
    final StreamDescriptor descriptor;
    final Path dir;
    private final long base;
    private final ReentrantLock forceLock = new ReentrantLock();

    // guarded by this
    private LongList segmentBases;
    private long tail;
    private long activeBase;
    private long logEnd;
    private final WriterState state;
    private LongList messageEnds;
    private LongList batchEnds;
    /** Append times (running maximum), parallel to {@link #batchEnds}: retention by age. */
    private LongList batchTimes;
    private Map<Path, FileHandles.Handle> dirtyHandles = new HashMap<>();
    private List<Path> dirtyPaths = new ArrayList<>();
    /** Paths of a new stream (descriptor, directory entries) that the next sync round forces. */
    private List<Path> creationPaths = new ArrayList<>();
    /** Set when replay met a record that does not continue this log; later records are ignored. */
    private boolean replayGap;
    private StorageIOException poisoned;
    private boolean deleted;

    private volatile long lastAccessMillis;
    /** The base of the first segment still on disk (retention frees whole segments below the retained start). */
    private volatile long heldFrom;
    private volatile boolean checkpointDirty;
    /** The load of the segment list and message index ({@link #ready()}); null until asked for. */
    private volatile CompletableFuture<Void> loading;

    /**
     * @param segmentBases the segments when recovery listed them, or null to list them on first use
     */
    FileStreamLog(FileStorage store, StreamDescriptor descriptor, Path dir, Checkpoint at, LongList segmentBases) {
        this.store = store;
        this.descriptor = descriptor;
        this.dir = dir;
        this.base = descriptor.forkPosition();
        this.tail = at.tail();
        this.activeBase = at.segmentBase();
        this.logEnd = at.logOffset();
        this.state = at.state();
        this.lastAccessMillis = at.lastAccessMillis();
        this.segmentBases = segmentBases;
        this.heldFrom = segmentBases == null || segmentBases.size() == 0 ? base : segmentBases.get(0);
    }

    /**
     * A new stream: creates its first segment (forced at the next checkpoint; replay recreates it)
     * and has the next sync round force {@code creationPaths}.
     */
    synchronized void createFiles(List<Path> creationPaths) throws IOException {
        segmentBases = new LongList();
        segmentBases.add(base);
        messageEnds = new LongList();
        batchEnds = new LongList();
        batchTimes = new LongList();
        loading = DONE;
        pinDirty(StoreFiles.dataFile(dir, base));
        pinDirty(StoreFiles.logFile(dir, base));
        this.creationPaths.addAll(creationPaths);
        store.committer().markCreated(this);
        checkpointDirty = true;
    }

    /**
     * Loads the segment list and the message index on the store's I/O threads, the first time
     * (after a clean start they are not read until a stream is used; for a long stream this reads
     * every record once). A failed load is tried again by the next call.
     */
    @Override
    public CompletableFuture<Void> ready() {
        CompletableFuture<Void> f = loading;
        if (f != null && !f.isCompletedExceptionally()) {
            return f;
        }
        synchronized (this) {
            if (loading == f) {
                loading = messageEnds != null ? DONE : store.onIo(this::load);
            }
            return loading;
        }
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public synchronized long tail() {
        return tail;
    }

    @Override
    public CompletableFuture<Void> append(AppendEntry entry) {
        byte[] data = entry.data();
        synchronized (this) {
            RuntimeException refused = refusal();
            if (refused != null) {
                return store.committer().submit(this, refused);
            }
            try {
                if (data.length > 0 && tail - activeBase >= store.config().segmentBytes()) {
                    roll();
                }
                int crc = crc32c(data);
                LogRecord r = new LogRecord(RecordFormat.TYPE_APPEND, tail, data.length, crc, entry.messageEnds(),
                        entry.producer(), entry.streamSeq(), entry.close(), entry.snapshot() && data.length > 0,
                        data.length > 0 ? Math.max(0, entry.appendedAtMillis()) : -1, -1);
                write(data, r, true);
            } catch (IOException e) {
                return failWrite("append of " + data.length + " bytes at position " + tail, e);
            }
            return store.committer().submit(this, null);
        }
    }

    @Override
    public CompletableFuture<Void> markSoftDeleted() {
        return mark(RecordFormat.TYPE_SOFT_DELETE, -1, "soft-delete record");
    }

    /** A TYPE 3 record, journaled and acknowledged like an append: the retained start is durable with it. */
    @Override
    public CompletableFuture<Void> retain(long position) {
        return mark(RecordFormat.TYPE_RETAIN, position, "retained-start record (" + position + ")");
    }

    private CompletableFuture<Void> mark(byte type, long retainedStart, String what) {
        synchronized (this) {
            RuntimeException refused = refusal();
            if (refused != null) {
                return store.committer().submit(this, refused);
            }
            try {
                write(new byte[0], LogRecord.marker(type, tail, retainedStart), true);
            } catch (IOException e) {
                return failWrite(what + " at position " + tail, e);
            }
            return store.committer().submit(this, null);
        }
    }

    @Override
    public synchronized long retainedStart() {
        return state.retainedStart;
    }

    @Override
    public synchronized long latestSnapshot() {
        return state.latestSnapshot;
    }

    /** The base of the first segment still on disk. */
    long heldFrom() {
        return heldFrom;
    }

    /**
     * Frees the segments that lie wholly below {@code position}, on an I/O thread (never the active
     * one, never a file rewritten in place). The retained start is already durable (a TYPE 3 record,
     * or the snapshot append) when the engine asks. Steps: 1. force this log and write its
     * checkpoint, which then covers every segment about to go (if we crash here, nothing is lost:
     * recovery starts at that checkpoint and never needs the records of a freed segment);
     * 2. drop them from the segment list and the index, close their handles; 3. delete each
     * segment's {@code .data}, then its {@code .log} (if we crash here, a half-deleted segment lies
     * below the checkpoint: recovery lists it without reading it, nothing reads below the retained
     * start, and the next retention round deletes it again); 4. force the directory.
     */
    @Override
    public CompletableFuture<Long> reclaim(long position) {
        return ready().thenCompose(v -> store.onIo(() -> {
            try {
                return reclaimNow(position);
            } catch (IOException e) {
                throw store.failures().classify("freeing reclaimed segments of stream " + describe(), e);
            }
        }));
    }

    private long reclaimNow(long position) throws IOException {
        List<Long> doomed = new ArrayList<>();
        synchronized (this) {
            if (deleted) {
                return 0;
            }
            LongList segs = segments();
            for (int i = 0; i + 1 < segs.size() && segs.get(i + 1) <= Math.min(position, state.retainedStart); i++) {
                doomed.add(segs.get(i));
            }
            if (doomed.isEmpty()) {
                return 0;
            }
        }
        if (checkpoint() != CheckpointOutcome.WRITTEN) {
            throw new IOException("the checkpoint that must cover the freed segments could not be written");
        }
        long end;
        synchronized (this) {
            if (deleted) {
                return 0;
            }
            LongList segs = segments();
            end = segs.get(doomed.size());
            LongList kept = new LongList();
            for (int i = doomed.size(); i < segs.size(); i++) {
                kept.add(segs.get(i));
            }
            segmentBases = kept;
            heldFrom = end;
            if (messageEnds != null) {
                int batches = batchEnds.floorIndex(end) + 1;
                batchEnds.removeFirst(batches);
                batchTimes.removeFirst(batches);
                messageEnds.removeFirst(messageEnds.floorIndex(end) + 1);
            }
        }
        long freed = 0;
        for (long b : doomed) {
            Path data = StoreFiles.dataFile(dir, b);
            Path log = StoreFiles.logFile(dir, b);
            store.handles().retire(data);
            store.handles().retire(log);
            freed += sizeOrZero(data);
            Files.deleteIfExists(data);
            Files.deleteIfExists(log);
        }
        Fsync.directory(dir);
        return freed;
    }

    private static long sizeOrZero(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }


    @Override
    public synchronized CompletableFuture<Void> sync() {
        return store.committer().submit(this, refusal());
    }

    /**
     * Writes the payload, the record, then (with {@code journal}) both to the journal; updates the
     * in-memory view only when all succeeded.
     */
    private void write(byte[] data, LogRecord r, boolean journal) throws IOException {
        ByteBuffer frame = RecordFormat.encode(r);
        int frameLength = frame.remaining();
        if (data.length > 0) {
            writeFully(pinDirty(StoreFiles.dataFile(dir, activeBase)).channel, ByteBuffer.wrap(data), tail - activeBase);
        }
        writeFully(pinDirty(StoreFiles.logFile(dir, activeBase)).channel, frame.duplicate(), logEnd);
        // before the journal record: a checkpoint cycle that retires the journal file holding it must force these writes
        checkpointDirty = true;
        if (journal) {
            store.journal().append(descriptor.incarnation(), activeBase, logEnd, frame, data);
        }
        tail = r.end();
        logEnd += frameLength;
        state.apply(r);
        if (messageEnds != null) {
            index(r, messageEnds, batchEnds, batchTimes);
        }
    }

    /**
     * Applies a journal record during recovery, before the log serves anything. The record's place
     * in the record log decides: before the recovered end, it is already here (perhaps only in the
     * page cache after a process crash, so its segment is marked for forcing too); at the end (or
     * at offset 0 of the segment that starts at the tail) it is written; beyond, a record between
     * was torn, so this one was never acknowledged, and the rest of this stream's records are ignored. The caller must {@link #forceDirty()} this log before the journal is deleted.
     * Returns whether the record was written.
     */
    synchronized boolean replay(long segmentBase, long logOffset, LogRecord r, byte[] payload) throws IOException {
        if (dirtyPaths.isEmpty()) {
            dirtyPaths.add(dir);
        }
        if (replayGap) {
            return false;
        }
        if (segmentBase < heldFrom) {
            return false; // a segment retention freed after a checkpoint covered it
        }
        if (segmentBase < activeBase || segmentBase == activeBase && logOffset < logEnd) {
            pinDirty(StoreFiles.dataFile(dir, segmentBase));
            pinDirty(StoreFiles.logFile(dir, segmentBase));
            return false;
        }
        boolean here = segmentBase == activeBase && logOffset == logEnd;
        boolean next = segmentBase == tail && segmentBase > activeBase && logOffset == 0;
        if (!(here || next) || r.position() != tail) {
            replayGap = true;
            LOG.log(System.Logger.Level.WARNING, "journal record of stream " + describe() + " at segment " + segmentBase
                    + " byte " + logOffset + " (position " + r.position() + ") does not continue the recovered log (segment "
                    + activeBase + " byte " + logEnd + ", tail " + tail + "): a record before it was torn, so neither was"
                    + " acknowledged; ignoring the rest of its journal records");
            return false;
        }
        if (next) {
            roll();
        }
        write(payload, r, false);
        return true;
    }

    /**
     * Rolls to a new segment based at the tail. 1. create {@code <tail>.data} and {@code <tail>.log}
     * (if we crash here, recovery finds an empty segment starting at the tail and continues in it);
     * 2. the stream directory is forced at the next checkpoint (until then the journal has the records).
     */
    private void roll() throws IOException {
        pinDirty(StoreFiles.dataFile(dir, tail));
        pinDirty(StoreFiles.logFile(dir, tail));
        dirtyPaths.add(dir);
        if (segmentBases != null) {
            segmentBases.add(tail);
        }
        activeBase = tail;
        logEnd = 0;
    }

    /**
     * A write failed: cut the partial bytes back. When that works the log is exactly as before
     * the call, so the failure is thrown to the caller (nothing was stored; a later append may
     * succeed, e.g. once disk space returns). When it does not, the stream refuses appends until
     * a restart lets recovery cut the torn tail by checksum.
     */
    private CompletableFuture<Void> failWrite(String what, IOException e) {
        StorageIOException failure = store.failures().classify(what + " of stream " + describe(), e);
        if (cutBack()) {
            throw failure; // nothing was stored; the caller reports it (the server logs it, throttled)
        }
        poisoned = failure;
        // one line: the message names the stream and the I/O error, a stack trace would add nothing
        LOG.log(System.Logger.Level.ERROR, poisoned.getMessage() + "; the stream refuses appends until restart");
        return store.committer().submit(this, poisoned);
    }

    /** Removes the partial bytes of a failed write; false if that failed too (recovery cuts them by CRC). */
    private boolean cutBack() {
        try {
            FileHandles.Handle data = dirtyHandles.get(StoreFiles.dataFile(dir, activeBase));
            if (data != null && data.channel.size() > tail - activeBase) {
                data.channel.truncate(tail - activeBase);
            }
            FileHandles.Handle log = dirtyHandles.get(StoreFiles.logFile(dir, activeBase));
            if (log != null && log.channel.size() > logEnd) {
                log.channel.truncate(logEnd);
            }
            return true;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not cut back the partial write of stream " + describe() + ": "
                    + StorageFailures.describe(e));
            return false;
        }
    }

    private RuntimeException refusal() {
        if (deleted) {
            return new IllegalStateException("stream " + describe() + " was deleted");
        }
        if (store.isClosed()) {
            return new IllegalStateException("file store is closed");
        }
        if (poisoned != null) {
            return poisoned instanceof StorageFullException
                    ? new StorageFullException("stream " + describe() + " refuses appends after: " + poisoned.getMessage(), poisoned.getCause())
                    : new StorageIOException("stream " + describe() + " refuses appends after: " + poisoned.getMessage(), poisoned.getCause());
        }
        return store.failures().refusal();
    }

    private FileHandles.Handle pinDirty(Path file) throws IOException {
        FileHandles.Handle h = dirtyHandles.get(file);
        if (h == null) {
            h = store.handles().pin(file);
            if (dirtyHandles.isEmpty()) {
                store.unforcedLogs(1);
            }
            dirtyHandles.put(file, h);
        }
        return h;
    }

    /** Forces the descriptor and directory entries of a new stream (by the sync round, before its creation is acknowledged). */
    void forceCreation() throws IOException {
        List<Path> paths;
        synchronized (this) {
            paths = creationPaths;
            creationPaths = new ArrayList<>();
            if (deleted) {
                return;
            }
        }
        forcePaths(paths);
    }

    /** Forces paths of this stream's directory; their absence is no failure once the stream was deleted (renamed away). */
    private void forcePaths(List<Path> paths) throws IOException {
        try {
            for (Path p : paths) {
                Fsync.path(p);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            if (!isDeleted()) {
                throw e;
            }
        }
    }

    /**
     * Forces everything this log wrote so far (payload, records, new files' directory entries).
     * Called by the checkpointer and at shutdown. Costly: one {@code fdatasync} per dirty file.
     */
    void forceDirty() throws IOException {
        forceLock.lock();
        try {
            Collection<FileHandles.Handle> handles;
            List<Path> paths;
            boolean gone;
            synchronized (this) {
                handles = dirtyHandles.values();
                paths = dirtyPaths;
                dirtyHandles = new HashMap<>();
                dirtyPaths = new ArrayList<>();
                gone = deleted;
                if (!handles.isEmpty()) {
                    store.unforcedLogs(-1);
                }
            }
            try {
                if (!gone) {
                    forceAll(handles);
                    forcePaths(paths);
                }
            } finally {
                handles.forEach(store.handles()::unpin);
            }
        } finally {
            forceLock.unlock();
        }
    }

    private static void forceAll(Collection<FileHandles.Handle> handles) throws IOException {
        for (FileHandles.Handle h : handles) {
            h.channel.force(false);
        }
    }

    @Override
    public List<ByteBuffer> read(long from, long to) {
        if (from >= to) {
            return List.of();
        }
        List<long[]> parts = new ArrayList<>();
        synchronized (this) {
            LongList segs = segments();
            if (from < heldFrom || to > tail) {
                throw new IllegalArgumentException("read [" + from + ", " + to + ") of stream " + describe()
                        + " outside [" + heldFrom + ", " + tail + "] (retention freed what lies before " + heldFrom + ")");
            }
            for (int i = Math.max(0, segs.floorIndex(from)); i < segs.size() && segs.get(i) < to; i++) {
                long segEnd = i + 1 < segs.size() ? segs.get(i + 1) : Long.MAX_VALUE;
                long lo = Math.max(from, segs.get(i));
                long hi = Math.min(to, segEnd);
                if (hi > lo) {
                    parts.add(new long[] {segs.get(i), lo, hi});
                }
            }
        }
        List<ByteBuffer> out = new ArrayList<>(parts.size());
        for (long[] p : parts) {
            out.add(readData(p[0], p[1], p[2]));
        }
        return out;
    }

    @Override
    public FileSlice fileSlice(long from, long to) {
        synchronized (this) {
            LongList segs = segments();
            if (from >= to || from < heldFrom || to > tail) {
                return null;
            }
            int i = Math.max(0, segs.floorIndex(from));
            long segEnd = i + 1 < segs.size() ? segs.get(i + 1) : Long.MAX_VALUE;
            if (to > segEnd) {
                return null;
            }
            long segment = segs.get(i);
            return new FileSlice(StoreFiles.dataFile(dir, segment), from - segment, to - from);
        }
    }

    private ByteBuffer readData(long segment, long from, long to) {
        Path file = StoreFiles.dataFile(dir, segment);
        FileHandles.Handle h;
        try {
            h = store.handles().pin(file);
        } catch (IOException e) {
            throw store.failures().classify("opening " + file + " to read", e);
        }
        try {
            ByteBuffer b = ByteBuffer.allocate((int) (to - from));
            long at = from - segment;
            while (b.hasRemaining()) {
                if (h.channel.read(b, at + b.position()) < 0) {
                    throw new IOException("end of file at byte " + (at + b.position()) + ", expected data up to " + (to - segment));
                }
            }
            return b.flip();
        } catch (IOException e) {
            throw store.failures().classify("read of positions [" + from + ", " + to + ") from " + file, e);
        } finally {
            store.handles().unpin(h);
        }
    }

    @Override
    public synchronized long boundedEnd(long from, long limit, long maxBytes, boolean splittable) {
        return MessageIndex.boundedEnd(messageEnds(), tail, from, limit, maxBytes, splittable);
    }

    @Override
    public synchronized boolean isMessageBoundary(long position) {
        return MessageIndex.isBoundary(messageEnds(), heldFrom, position);
    }

    @Override
    public synchronized long appendBoundaryAtOrBefore(long position) {
        messageEnds();
        return MessageIndex.boundaryAtOrBefore(batchEnds, heldFrom, position);
    }

    @Override
    public synchronized long appendedBefore(long from, long limit, long millis) {
        messageEnds();
        return MessageIndex.appendedBefore(batchEnds, batchTimes, from, limit, millis);
    }

    @Override
    public synchronized long[] boundariesToBatchEnd(long position) {
        LongList ends = messageEnds();
        return MessageIndex.boundariesToBatchEnd(ends, batchEnds, position);
    }

    /** Known once the message index is loaded (a stream in use); -1 before, rather than loading it for a listing. */
    @Override
    public synchronized long messagesUpTo(long position) {
        return messageEnds == null ? -1 : messageEnds.floorIndex(position) + 1;
    }

    @Override
    public void touched(long nowMillis) {
        if (nowMillis > lastAccessMillis) {
            lastAccessMillis = nowMillis;
            checkpointDirty = true;
        }
    }

    @Override
    public CompletableFuture<Void> delete() {
        Collection<FileHandles.Handle> unforced;
        synchronized (this) {
            if (deleted) {
                return DONE;
            }
            deleted = true;
            // nothing will force these files again; the journal records of a deleted stream are skipped by replay
            unforced = dirtyHandles.values();
            dirtyHandles = new HashMap<>();
            dirtyPaths = new ArrayList<>();
            if (!unforced.isEmpty()) {
                store.unforcedLogs(-1);
            }
        }
        unforced.forEach(store.handles()::unpin);
        return store.deleteStream(this);
    }

    /** The segments of this stream, listed from the directory on first use (after a clean start). */
    private LongList segments() {
        if (segmentBases == null) {
            segmentBases = listSegments(activeBase);
            heldFrom = segmentBases.size() > 0 ? segmentBases.get(0) : base;
        }
        return segmentBases;
    }

    private LongList listSegments(long upTo) {
        try {
            LongList list = new LongList();
            for (long b : StreamRecovery.segmentBases(dir)) {
                if (b <= upTo) {
                    list.add(b);
                }
            }
            return list;
        } catch (IOException e) {
            throw store.failures().classify("listing the segments of stream " + describe() + " in " + dir, e);
        }
    }

    /**
     * {@link #ready()}'s work, on an I/O thread: lists the segments and reads the record logs
     * (never the data) outside this log's monitor, so readers, appenders and the checkpointer
     * are not held up; installs the result unless an append or roll came in between (then it
     * loads again under the monitor, which only a caller that did not wait for readiness causes).
     */
    private Void load() {
        long active;
        long end;
        LongList segs;
        synchronized (this) {
            if (messageEnds != null) {
                return null;
            }
            active = activeBase;
            end = logEnd;
            segs = segmentBases == null ? null : copy(segmentBases); // a roll may grow the original meanwhile
        }
        if (segs == null) {
            segs = listSegments(active);
        }
        Index index = scan(segs, active, end);
        synchronized (this) {
            if (messageEnds == null) {
                if (activeBase == active && logEnd == end) {
                    if (segmentBases == null) {
                        segmentBases = segs;
                        heldFrom = segs.size() > 0 ? segs.get(0) : base;
                    }
                    messageEnds = index.messageEnds;
                    batchEnds = index.batchEnds;
                    batchTimes = index.batchTimes;
                } else {
                    messageEnds();
                }
            }
        }
        return null;
    }

    /**
     * The message index; loaded here, under the monitor, only for a caller that did not wait for
     * {@link #ready()}.
     */
    private LongList messageEnds() {
        if (messageEnds == null) {
            Index index = scan(segments(), activeBase, logEnd);
            messageEnds = index.messageEnds;
            batchEnds = index.batchEnds;
            batchTimes = index.batchTimes;
        }
        return messageEnds;
    }

    private record Index(LongList messageEnds, LongList batchEnds, LongList batchTimes) {}

    private static LongList copy(LongList list) {
        LongList out = new LongList();
        for (int i = 0; i < list.size(); i++) {
            out.add(list.get(i));
        }
        return out;
    }

    /** Reads the records of {@code segments}, the active one up to {@code activeEnd}. */
    private Index scan(LongList segments, long active, long activeEnd) {
        Index index = new Index(new LongList(), new LongList(), new LongList());
        try {
            for (int i = 0; i < segments.size(); i++) {
                Path file = StoreFiles.logFile(dir, segments.get(i));
                FileHandles.Handle h = store.handles().pin(file);
                try {
                    long limit = segments.get(i) == active ? activeEnd : h.channel.size();
                    readIndex(h.channel, limit, file, index);
                } finally {
                    store.handles().unpin(h);
                }
            }
        } catch (IOException e) {
            throw store.failures().classify("loading the message index of stream " + describe(), e);
        }
        return index;
    }

    private static void readIndex(FileChannel channel, long limit, Path file, Index index) throws IOException {
        RecordReader reader = new RecordReader(channel, 0, limit);
        try {
            for (LogRecord r = reader.next(); r != null; r = reader.next()) {
                index(r, index.messageEnds, index.batchEnds, index.batchTimes);
            }
        } catch (RecordFormat.CorruptFrameException e) {
            throw new IOException("record log " + file + " is corrupt at byte " + reader.offset()
                    + " below the recovered end " + limit + ": " + e.getMessage());
        }
    }

    private static void index(LogRecord r, LongList messageEnds, LongList batchEnds, LongList batchTimes) {
        if (r.payloadLength() == 0) {
            return;
        }
        for (int end : r.messageEnds()) {
            messageEnds.add(r.position() + end);
        }
        batchEnds.add(r.end());
        // records from before retention carry no time: they count as old
        long time = Math.max(0, r.appendedAtMillis());
        batchTimes.add(batchTimes.size() == 0 ? time : Math.max(batchTimes.last(), time));
    }

    /** Whether something changed since the last checkpoint. */
    boolean checkpointDue() {
        return checkpointDirty;
    }

    /**
     * Writes a checkpoint when something changed since the last one; forces first so it claims
     * only durable data. Returns false if that force failed (then the journal must be kept).
     */
    boolean checkpointIfDirty() {
        if (!checkpointDirty) {
            return true;
        }
        checkpointDirty = false;
        return checkpoint() != CheckpointOutcome.FORCE_FAILED;
    }

    private enum CheckpointOutcome { WRITTEN, FORCE_FAILED, WRITE_FAILED }

    private CheckpointOutcome checkpoint() {
        Checkpoint cp;
        synchronized (this) {
            if (deleted) {
                return CheckpointOutcome.WRITTEN;
            }
            cp = snapshot();
        }
        try {
            forceDirty();
        } catch (IOException e) {
            store.failures().fsyncFailed("fsync for the checkpoint of stream " + describe(), e);
            return CheckpointOutcome.FORCE_FAILED;
        }
        try {
            SealedBlob.writeAtomically(dir.resolve(StoreFiles.CHECKPOINT), SealedBlob.CHECKPOINT_MAGIC, MetaCodec.checkpoint(cp), false);
            return CheckpointOutcome.WRITTEN;
        } catch (IOException e) {
            if (!isDeleted()) { // else its directory was renamed away under the write
                checkpointDirty = true;
                LOG.log(System.Logger.Level.WARNING, "checkpoint of stream " + describe() + " failed; will retry", e);
            }
            return CheckpointOutcome.WRITE_FAILED;
        }
    }

    /** The state of this log now. Durable only once {@link #forceDirty()} has run after it. */
    synchronized Checkpoint snapshot() {
        return new Checkpoint(tail, activeBase, logEnd, lastAccessMillis, state.copy());
    }

    synchronized RecoveredStream recovered() {
        Map<String, long[]> producers = new HashMap<>();
        state.producers.forEach((id, v) -> producers.put(id, v.clone()));
        return new RecoveredStream(descriptor, this, state.closed, state.closedBy, state.lastStreamSeq, producers,
                state.softDeleted, lastAccessMillis);
    }

    synchronized boolean isDeleted() {
        return deleted;
    }

    String describe() {
        String name = descriptor.name();
        return descriptor.incarnation() + " (\"" + (name.length() > NAME_CLIP_CHARS ? name.substring(0, NAME_CLIP_CHARS) + "…" : name) + "\")";
    }

    private static int crc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return (int) crc.getValue();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long p = at;
        while (b.hasRemaining()) {
            p += ch.write(b, p);
        }
    }
}
