package io.durablestreams.store.file;

import io.durablestreams.engine.store.LongList;
import io.durablestreams.engine.store.StreamDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Recovery of one stream after an unclean shutdown: scan the record logs from the checkpoint,
 * check each frame's CRC, that its position continues the previous record, and its payload CRC
 * against the data file; at the first failure truncate the record log and the data file there
 * (logging the byte positions cut) and remove any later segment. Everything before the
 * checkpoint was forced before the checkpoint was written and is trusted without reading it.
 */
final class StreamRecovery {
    private static final System.Logger LOG = System.getLogger(StreamRecovery.class.getName());
    /** Bytes of payload read at a time to check its CRC: {@value}. */
    private static final int CRC_CHUNK_BYTES = 1024 * 1024;

    /** The recovered end of a stream's records and the writer state they describe. */
    record Result(long tail, long activeBase, long logEnd, WriterState state, LongList segmentBases) {}

    private StreamRecovery() {}

    static Result recover(Path dir, StreamDescriptor d, Checkpoint checkpoint, ChannelOpener opener) throws IOException {
        long base = d.forkPosition();
        TreeSet<Long> bases = segmentBases(dir);
        Checkpoint cp = checkpoint;
        if (cp != null && (!bases.contains(cp.segmentBase()) || Files.size(StoreFiles.logFile(dir, cp.segmentBase())) < cp.logOffset())) {
            LOG.log(System.Logger.Level.WARNING, "stream " + dir + ": checkpoint at segment " + cp.segmentBase()
                    + " log offset " + cp.logOffset() + " does not match the files; scanning from the start");
            cp = null;
        }
        if (cp == null) {
            // without a checkpoint the records are read from the base: a first segment that is missing was never forced
            // (the journal restores it). Retention frees segments only after a checkpoint covered them (FileStreamLog#reclaim).
            cp = Checkpoint.empty(base, checkpoint == null ? d.createdAtMillis() : checkpoint.lastAccessMillis(), d);
        }
        long tail = cp.tail();
        long logEnd = cp.logOffset();
        long activeBase = cp.segmentBase();
        WriterState state = cp.state().copy();
        LongList kept = new LongList();
        List<Long> toScan = new ArrayList<>();
        for (long b : bases) {
            if (b < cp.segmentBase()) {
                kept.add(b);
            } else {
                toScan.add(b);
            }
        }
        for (int i = 0; i < toScan.size(); i++) {
            long b = toScan.get(i);
            if (i == 0 ? b != cp.segmentBase() : b != tail) {
                LOG.log(System.Logger.Level.WARNING, "stream " + dir + ": segment " + b + " does not start at the recovered tail "
                        + tail + "; removing it and " + (toScan.size() - i - 1) + " later segments");
                removeSegments(dir, toScan.subList(i, toScan.size()));
                break;
            }
            kept.add(b);
            activeBase = b;
            Scan scan = scanSegment(dir, b, i == 0 ? cp.logOffset() : 0, tail, state, opener);
            tail = scan.tail;
            logEnd = scan.logEnd;
            if (scan.cut) {
                removeSegments(dir, toScan.subList(i + 1, toScan.size()));
                break;
            }
        }
        if (kept.size() == 0) {
            createFirstSegment(dir, base, opener);
            kept.add(base);
            activeBase = base;
            tail = base;
            logEnd = 0;
        }
        return new Result(tail, activeBase, logEnd, state, kept);
    }

    private record Scan(long tail, long logEnd, boolean cut) {}

    private static Scan scanSegment(Path dir, long b, long fromOffset, long tail, WriterState state, ChannelOpener opener)
            throws IOException {
        Path logPath = StoreFiles.logFile(dir, b);
        Path dataPath = StoreFiles.dataFile(dir, b);
        try (FileChannel log = open(opener, logPath); FileChannel data = open(opener, dataPath)) {
            long logSize = log.size();
            long dataSize = data.size();
            RecordReader reader = new RecordReader(log, fromOffset, logSize);
            long goodEnd = fromOffset;
            String cut = null;
            while (true) {
                LogRecord r;
                try {
                    r = reader.next();
                } catch (RecordFormat.CorruptFrameException e) {
                    cut = e.getMessage();
                    break;
                }
                if (r == null) {
                    break;
                }
                if (r.position() != tail) {
                    cut = "record position " + r.position() + " does not continue the tail " + tail;
                    break;
                }
                if (r.payloadLength() > 0) {
                    cut = checkPayload(data, dataSize, b, r);
                    if (cut != null) {
                        break;
                    }
                }
                state.apply(r);
                tail = r.end();
                goodEnd = reader.offset();
            }
            boolean changed = false;
            if (cut != null) {
                LOG.log(System.Logger.Level.WARNING, "recovery: truncating record log " + logPath + " at byte " + goodEnd
                        + " of " + logSize + " (" + cut + ")");
                log.truncate(goodEnd);
                changed = true;
            }
            if (dataSize > tail - b) {
                LOG.log(System.Logger.Level.WARNING, "recovery: truncating data file " + dataPath + " at byte " + (tail - b)
                        + " of " + dataSize + " (bytes past the last whole record)");
                data.truncate(tail - b);
                changed = true;
            }
            if (changed) {
                log.force(true);
                data.force(true);
            }
            return new Scan(tail, goodEnd, cut != null);
        }
    }

    /** Null when the payload of {@code r} is whole, else why not. */
    private static String checkPayload(FileChannel data, long dataSize, long b, LogRecord r) throws IOException {
        long at = r.position() - b;
        if (at + r.payloadLength() > dataSize) {
            return "payload [" + at + ", " + (at + r.payloadLength()) + ") extends past the data file's " + dataSize + " bytes";
        }
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(Math.min(CRC_CHUNK_BYTES, r.payloadLength()));
        long end = at + r.payloadLength();
        for (long p = at; p < end; ) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - p));
            while (buf.hasRemaining()) {
                if (data.read(buf, p + buf.position()) < 0) {
                    return "data file ends at " + (p + buf.position()) + " inside payload [" + at + ", " + end + ")";
                }
            }
            buf.flip();
            p += buf.remaining();
            crc.update(buf);
        }
        int actual = (int) crc.getValue();
        if (actual != r.payloadCrc()) {
            return "payload CRC mismatch at data bytes [" + at + ", " + end + "): stored " + Integer.toHexString(r.payloadCrc())
                    + ", computed " + Integer.toHexString(actual);
        }
        return null;
    }

    static TreeSet<Long> segmentBases(Path dir) throws IOException {
        TreeSet<Long> bases = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                String name = f.getFileName().toString();
                long b = Math.max(StoreFiles.baseOf(name, StoreFiles.DATA_SUFFIX), StoreFiles.baseOf(name, StoreFiles.LOG_SUFFIX));
                if (b >= 0) {
                    bases.add(b);
                }
            });
        }
        return bases;
    }

    private static void removeSegments(Path dir, List<Long> bases) throws IOException {
        for (long b : bases) {
            Files.deleteIfExists(StoreFiles.dataFile(dir, b));
            Files.deleteIfExists(StoreFiles.logFile(dir, b));
        }
        if (!bases.isEmpty()) {
            Fsync.directory(dir);
        }
    }

    private static void createFirstSegment(Path dir, long base, ChannelOpener opener) throws IOException {
        open(opener, StoreFiles.dataFile(dir, base)).close();
        open(opener, StoreFiles.logFile(dir, base)).close();
        Fsync.directory(dir);
    }

    private static FileChannel open(ChannelOpener opener, Path p) throws IOException {
        return opener.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
}
