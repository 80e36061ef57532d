package io.durablestreams.store.file;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The store-wide write-ahead journal. Every record written to a stream's {@code .log} (with its
 * payload) is also appended here, and a group-commit round forces only the journal: one
 * {@code fdatasync} per round however many streams it touched. The streams' own files are forced
 * at checkpoints, after which the journal files written before the checkpoint began are deleted.
 * After a crash, recovery replays the journal into the streams ({@link #replay}).
 *
 * <p>File layout ({@code DATA_DIR/journal/<20-digit sequence>.wal}), big-endian:
 * <pre>
 * file header
 *  0  4  MAGIC          {@value #MAGIC} ("DSJL")
 *  4  4  VERSION        {@value #VERSION}
 *  8  8  SALT           random per file, mixed into every record CRC
 * records, from byte {@value #FILE_HEADER_LENGTH}
 *  0  4  RECORD_LENGTH  whole record, this field included; 0 = end of the journal
 *  4  4  RECORD_CRC     CRC32C of SALT then bytes [8, 40 + FRAME_LENGTH)
 *  8  8  INCARNATION    the stream
 * 16  8  SEGMENT_BASE   segment of the stream's record log holding the frame
 * 24  8  LOG_OFFSET     byte offset of the frame in that record log
 * 32  4  FRAME_LENGTH   n
 * 36  4  reserved       0
 * 40  n  FRAME          exactly the frame written to the record log ({@link RecordFormat})
 *    m  PAYLOAD         the payload written to the data file; its CRC is the frame's PAYLOAD_CRC
 * </pre>
 * A file is created at its full length, written with zeros and forced before use (by the
 * checkpointer, while appends still go to the previous file): appends then overwrite allocated
 * blocks, so their {@code fdatasync} writes data only and never waits for a file-system journal
 * commit (which, on ext4, would also wait for other files' newly allocated data, such as the
 * streams' segments being forced by a checkpoint). A retired file is kept as the {@value #SPARE}
 * and reused by the next rotation with a new salt instead of zero-filling another one. The salt
 * makes its old records, bytes left from a failed write, or bytes copied from a payload fail the
 * CRC, so replay ends at the first of them.
 *
 * <p>Thread-safe: appends are serialized by the monitor; forces and deletions by {@code syncLock},
 * so a file is never closed while a round forces it.
 */
final class Journal implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Journal.class.getName());
    static final String DIR = "journal";
    static final String SUFFIX = ".wal";
    /** A retired journal file kept for reuse; its name is not a journal file's, so replay ignores it. */
    static final String SPARE = "spare";
    static final int MAGIC = 0x44534a4c;
    static final int VERSION = 1;
    static final int FILE_HEADER_LENGTH = 16;
    static final int RECORD_HEADER_LENGTH = 40;
    /** Zeros written at a time when a file is preallocated: {@value}. */
    private static final int ZERO_CHUNK_BYTES = 1024 * 1024;

    /** One journal file. */
    private static final class JournalFile {
        final long sequence;
        final Path path;
        final FileChannel channel;
        final byte[] salt;
        long end = FILE_HEADER_LENGTH;

        JournalFile(long sequence, Path path, FileChannel channel, byte[] salt) {
            this.sequence = sequence;
            this.path = path;
            this.channel = channel;
            this.salt = salt;
        }
    }

    /** Receives the records of a replay, in journal order. */
    interface Sink {
        void accept(long incarnation, long segmentBase, long logOffset, LogRecord record, byte[] payload) throws IOException;
    }

    private final Path dir;
    private final ChannelOpener opener;
    private final long fileBytes;
    private final Runnable onFull;
    private final StorageFailures failures;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock syncLock = new ReentrantLock();
    // guarded by this
    private final List<JournalFile> files = new ArrayList<>();
    private final Set<JournalFile> unsynced = new LinkedHashSet<>();
    private JournalFile active;
    private boolean fullReported;

    /**
     * Starts a journal in {@code dir} with an empty file numbered {@code sequence}; {@code onFull}
     * runs (and must not block) when the active file has outgrown {@code fileBytes}.
     */
    Journal(Path dir, ChannelOpener opener, long fileBytes, long sequence, Runnable onFull, StorageFailures failures)
            throws IOException {
        this.dir = dir;
        this.failures = failures;
        this.opener = opener;
        this.fileBytes = fileBytes;
        this.onFull = onFull;
        active = create(sequence);
        files.add(active);
    }

    static Path directory(Path root) {
        return root.resolve(DIR);
    }

    /**
     * Appends the record of one stream write (already in the stream's files). On failure the
     * partial bytes are cut off, so the journal stays a sequence of whole records; if even that
     * fails the store stops taking appends (a later record behind torn bytes would be lost to replay).
     */
    void append(long incarnation, long segmentBase, long logOffset, ByteBuffer frame, byte[] payload) throws IOException {
        int n = frame.remaining();
        int length = RECORD_HEADER_LENGTH + n + payload.length;
        ByteBuffer record = ByteBuffer.allocate(length);
        record.putInt(length).putInt(0).putLong(incarnation).putLong(segmentBase).putLong(logOffset).putInt(n).putInt(0)
                .put(frame.duplicate()).put(payload).flip();
        synchronized (this) {
            JournalFile f = active;
            record.putInt(4, crc(f.salt, record.array(), RECORD_HEADER_LENGTH + n));
            long at = f.end;
            try {
                for (long p = at; record.hasRemaining(); ) {
                    p += f.channel.write(record, p);
                }
            } catch (IOException e) {
                cutBack(f, at, e);
                throw e;
            }
            f.end = at + length;
            unsynced.add(f);
            if (f.end > fileBytes && !fullReported) {
                fullReported = true;
                onFull.run();
            }
        }
    }

    private void cutBack(JournalFile f, long at, IOException cause) throws IOException {
        try {
            f.channel.truncate(at);
        } catch (IOException e) {
            e.addSuppressed(cause);
            failures.fsyncFailed("cutting the journal " + f.path + " back to byte " + at + " after a failed write", e);
            throw e;
        }
    }

    /** Forces every journal file written since the last call; everything appended before it is then durable. */
    void sync() throws IOException {
        syncLock.lock();
        try {
            List<JournalFile> toForce;
            synchronized (this) {
                toForce = new ArrayList<>(unsynced);
                unsynced.clear();
            }
            for (JournalFile f : toForce) {
                f.channel.force(false);
            }
        } finally {
            syncLock.unlock();
        }
    }

    /**
     * Starts a new file for the appends from now on and returns its sequence number; does nothing
     * (returning the active one's) when the active file holds no record. Called by one thread.
     */
    long rotate() throws IOException {
        long next;
        synchronized (this) {
            if (active.end == FILE_HEADER_LENGTH) {
                return active.sequence;
            }
            next = active.sequence + 1;
        }
        JournalFile f = create(next);
        synchronized (this) {
            files.add(f);
            active = f;
            fullReported = false;
        }
        return next;
    }

    /** Deletes the files numbered below {@code sequence}: everything they hold is durable elsewhere. */
    void deleteBefore(long sequence) throws IOException {
        syncLock.lock();
        try {
            List<JournalFile> old = new ArrayList<>();
            synchronized (this) {
                for (JournalFile f : files) {
                    if (f.sequence < sequence && f != active) {
                        old.add(f);
                    }
                }
                files.removeAll(old);
                unsynced.removeAll(old);
            }
            Path spare = dir.resolve(SPARE);
            for (JournalFile f : old) {
                f.channel.close();
                if (!Files.exists(spare) && f.end <= 2 * fileBytes) { // not one that grew far while a checkpoint lagged
                    Files.move(f.path, spare, java.nio.file.StandardCopyOption.ATOMIC_MOVE); // reused by the next rotation
                } else {
                    Files.deleteIfExists(f.path);
                }
            }
            if (!old.isEmpty()) {
                Fsync.directory(dir);
            }
        } finally {
            syncLock.unlock();
        }
    }

    /** Closes every file; with {@code delete}, removes them too (the caller made their records durable elsewhere). */
    void close(boolean delete) throws IOException {
        syncLock.lock();
        try {
            List<JournalFile> all;
            synchronized (this) {
                all = new ArrayList<>(files);
                files.clear();
                unsynced.clear();
            }
            for (JournalFile f : all) {
                f.channel.close();
                if (delete) {
                    Files.deleteIfExists(f.path);
                }
            }
            if (delete) {
                Fsync.directory(dir);
            }
        } finally {
            syncLock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        close(false);
    }

    /**
     * A new file, ready for appends: the spare (a retired file, whose old records the new salt
     * turns into garbage that fails every CRC) if there is one, else a zero-filled one. Either
     * way its blocks are allocated and its header forced before its name appears.
     */
    private JournalFile create(long sequence) throws IOException {
        Path path = dir.resolve(fileName(sequence));
        Path spare = dir.resolve(SPARE);
        boolean recycled = Files.exists(spare);
        Path building = recycled ? spare : dir.resolve(fileName(sequence) + StoreFiles.TEMP_SUFFIX);
        byte[] salt = new byte[8];
        random.nextBytes(salt);
        try (FileChannel ch = opener.open(building, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_LENGTH).putInt(MAGIC).putInt(VERSION).put(salt).flip();
            while (header.hasRemaining()) {
                ch.write(header, header.position());
            }
            if (!recycled) {
                preallocate(ch, building);
            }
            ch.force(false);
        } catch (IOException e) {
            if (!recycled) {
                Files.deleteIfExists(building);
            }
            throw e;
        }
        Files.move(building, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Fsync.directory(dir);
        return new JournalFile(sequence, path, opener.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE), salt);
    }

    /**
     * Writes zeros up to {@link #fileBytes}. On a disk too full for that the file stays at its
     * header and grows with each append (slower syncs, but the store still starts and appends
     * answer 507 only when the data itself does not fit).
     */
    private void preallocate(FileChannel ch, Path file) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(ZERO_CHUNK_BYTES);
        try {
            for (long at = FILE_HEADER_LENGTH; at < fileBytes; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), fileBytes - at));
                at += ch.write(zeros, at);
            }
        } catch (IOException e) {
            if (!(StorageFailures.wrap(e, "preallocating " + file) instanceof StorageFullException)) {
                throw e;
            }
            ch.truncate(FILE_HEADER_LENGTH);
            LOG.log(System.Logger.Level.WARNING, "journal file " + file + " could not be preallocated (" + fileBytes
                    + " bytes): the disk is full; it grows with each append instead");
        }
    }

    static String fileName(long sequence) {
        String digits = Long.toString(sequence);
        return "0".repeat(StoreFiles.POSITION_DIGITS - digits.length()) + digits + SUFFIX;
    }

    /** The journal files in {@code dir}, oldest first, with their sequence numbers. */
    static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> StoreFiles.baseOf(p.getFileName().toString(), SUFFIX) >= 0).sorted().toList();
        }
    }

    static long sequenceOf(Path file) {
        return StoreFiles.baseOf(file.getFileName().toString(), SUFFIX);
    }

    /**
     * Feeds the whole records of the journal files, oldest first, to {@code sink}. Each file is
     * read up to its first record that is not whole: its end (zeros, or a recycled file's old
     * records) or a torn write. Nothing acknowledged lies beyond: an acknowledgement forces every
     * file written before it. Later files are still read: what they hold was not acknowledged if
     * an earlier file is torn, and the sink then finds it does not continue its stream. Returns
     * the records replayed.
     */
    static long replay(List<Path> journalFiles, ChannelOpener opener, Sink sink) throws IOException {
        long count = 0;
        for (Path file : journalFiles) {
            try (FileChannel ch = opener.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch), 1 << 20));
                String stop = null;
                long at = FILE_HEADER_LENGTH;
                try {
                    if (size < FILE_HEADER_LENGTH || in.readInt() != MAGIC || in.readInt() != VERSION) {
                        LOG.log(System.Logger.Level.WARNING, "journal file " + file + " has no valid header; ignoring it");
                        continue;
                    }
                    byte[] salt = new byte[8];
                    in.readFully(salt);
                    while (stop == null && at < size) {
                        int length = in.readInt();
                        if (length == 0) {
                            break;
                        }
                        if (length < RECORD_HEADER_LENGTH || length > size - at) {
                            // (beyond the preallocated length, a torn record is cut short by the end of the file)
                            stop = "record length " + length + " is impossible";
                            break;
                        }
                        byte[] rec = new byte[length];
                        ByteBuffer.wrap(rec).putInt(length);
                        in.readFully(rec, 4, length - 4);
                        stop = apply(rec, salt, sink);
                        if (stop == null) {
                            count++;
                            at += length;
                        }
                    }
                } catch (EOFException e) {
                    stop = "the file ends inside a record";
                }
                if (stop != null) {
                    LOG.log(System.Logger.Level.INFO, "journal file " + file + " ends at byte " + at + ": " + stop
                            + " (a recycled file's old records or a torn write, never an acknowledged record)");
                }
            }
        }
        return count;
    }

    /** Null when the record was whole and handed to the sink, else why it is not whole. */
    private static String apply(byte[] rec, byte[] salt, Sink sink) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(rec);
        int storedCrc = b.getInt(4);
        long incarnation = b.getLong(8);
        long segmentBase = b.getLong(16);
        long logOffset = b.getLong(24);
        int n = b.getInt(32);
        if (n < RecordFormat.HEADER_LENGTH || n > rec.length - RECORD_HEADER_LENGTH) {
            return "frame length " + n + " does not fit the record";
        }
        if (crc(salt, rec, RECORD_HEADER_LENGTH + n) != storedCrc) {
            return "record CRC mismatch";
        }
        byte[] frame = new byte[n];
        System.arraycopy(rec, RECORD_HEADER_LENGTH, frame, 0, n);
        LogRecord r;
        try {
            r = RecordFormat.decode(frame, n);
        } catch (RecordFormat.CorruptFrameException e) {
            return "frame: " + e.getMessage();
        }
        int m = rec.length - RECORD_HEADER_LENGTH - n;
        if (m != r.payloadLength()) {
            return "payload of " + m + " bytes where the frame says " + r.payloadLength();
        }
        CRC32C payloadCrc = new CRC32C();
        payloadCrc.update(rec, RECORD_HEADER_LENGTH + n, m);
        if ((int) payloadCrc.getValue() != r.payloadCrc()) {
            return "payload CRC mismatch";
        }
        byte[] payload = new byte[m];
        System.arraycopy(rec, RECORD_HEADER_LENGTH + n, payload, 0, m);
        sink.accept(incarnation, segmentBase, logOffset, r, payload);
        return null;
    }

    private static int crc(byte[] salt, byte[] rec, int end) {
        CRC32C crc = new CRC32C();
        crc.update(salt);
        crc.update(rec, 8, end - 8);
        return (int) crc.getValue();
    }
}
