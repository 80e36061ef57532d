package io.durablestreams.store.file;

import io.durablestreams.engine.store.ProducerTuple;
import io.durablestreams.engine.store.StreamDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Bodies of the {@link SealedBlob} files, big-endian. A string is a 4-byte length and its UTF-8
 * bytes (not {@code writeUTF}, which caps at 64 KiB), so names of any length round-trip.
 *
 * <pre>
 * descriptor: name, incarnation(8), contentType, ttlSeconds?(8), expiresAt?, ttlRequested?(8),
 *             expiresAtRequested?, createdAtMillis(8), sourceName?, sourceIncarnation(8),
 *             forkPosition(8), forkOffsetRequested?, forkSubOffsetRequested(8), restartable(1),
 *             [v2] retentionAgeSeconds?(8), retentionBytes?(8), initialStart(8), initialSnapshot(8)
 * checkpoint: tail(8), segmentBase(8), logOffset(8), lastAccessMillis(8), flags(1: closed, softDeleted),
 *             closedBy?(id, epoch(8), seq(8)), lastStreamSeq?, producerCount(4), {id, epoch(8), lastSeq(8)}*,
 *             [v2] retainedStart(8), latestSnapshot(8)
 * catalog:    count(4), {descriptor, checkpoint}*
 * store meta: reservedIncarnations(8)
 * </pre>
 * ("?" = one presence byte, then the value when 1; "[v2]" fields are in blobs of {@link SealedBlob} version 2
 * only: a version 1 body reads as a stream without retention, served from its base.)
 */
final class MetaCodec {
    private MetaCodec() {}

    /** A stream as the catalog lists it. */
    record Entry(StreamDescriptor descriptor, Checkpoint checkpoint) {}

    static byte[] descriptor(StreamDescriptor d) {
        return encode(out -> writeDescriptor(out, d));
    }

    static StreamDescriptor descriptor(SealedBlob.Body body) throws IOException {
        return readDescriptor(input(body.bytes()), body.version());
    }

    static byte[] checkpoint(Checkpoint c) {
        return encode(out -> writeCheckpoint(out, c));
    }

    static Checkpoint checkpoint(SealedBlob.Body body, StreamDescriptor d) throws IOException {
        return readCheckpoint(input(body.bytes()), body.version(), d);
    }

    static byte[] catalog(Iterable<Entry> entries, int count) {
        return encode(out -> {
            out.writeInt(count);
            for (Entry e : entries) {
                writeDescriptor(out, e.descriptor());
                writeCheckpoint(out, e.checkpoint());
            }
        });
    }

    static Map<Long, Entry> catalog(SealedBlob.Body body) throws IOException {
        DataInputStream in = input(body.bytes());
        int count = in.readInt();
        Map<Long, Entry> out = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            StreamDescriptor d = readDescriptor(in, body.version());
            out.put(d.incarnation(), new Entry(d, readCheckpoint(in, body.version(), d)));
        }
        return out;
    }

    static byte[] storeMeta(long reservedIncarnations) {
        return encode(out -> out.writeLong(reservedIncarnations));
    }

    static long storeMeta(byte[] body) throws IOException {
        return input(body).readLong();
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] encode(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory encoding failed", e);
        }
        return bytes.toByteArray();
    }

    private static DataInputStream input(byte[] body) {
        return new DataInputStream(new ByteArrayInputStream(body));
    }

    private static void writeDescriptor(DataOutputStream out, StreamDescriptor d) throws IOException {
        writeString(out, d.name());
        out.writeLong(d.incarnation());
        writeString(out, d.contentType());
        writeNullableLong(out, d.ttlSeconds());
        writeNullableString(out, d.expiresAt());
        writeNullableLong(out, d.ttlRequested());
        writeNullableString(out, d.expiresAtRequested());
        out.writeLong(d.createdAtMillis());
        writeNullableString(out, d.sourceName());
        out.writeLong(d.sourceIncarnation());
        out.writeLong(d.forkPosition());
        writeNullableString(out, d.forkOffsetRequested());
        out.writeLong(d.forkSubOffsetRequested());
        out.writeBoolean(d.restartable());
        writeNullableLong(out, d.retentionAgeSeconds());
        writeNullableLong(out, d.retentionBytes());
        out.writeLong(d.initialStart());
        out.writeLong(d.initialSnapshot());
    }

    private static StreamDescriptor readDescriptor(DataInputStream in, short version) throws IOException {
        String name = readString(in);
        long incarnation = in.readLong();
        String contentType = readString(in);
        Long ttl = readNullableLong(in);
        String expiresAt = readNullableString(in);
        Long ttlRequested = readNullableLong(in);
        String expiresAtRequested = readNullableString(in);
        long createdAt = in.readLong();
        String sourceName = readNullableString(in);
        long sourceIncarnation = in.readLong();
        long forkPosition = in.readLong();
        String forkOffsetRequested = readNullableString(in);
        long forkSubOffsetRequested = in.readLong();
        boolean restartable = in.readBoolean();
        boolean v2 = version >= 2;
        return new StreamDescriptor(name, incarnation, contentType, ttl, expiresAt, ttlRequested, expiresAtRequested, createdAt,
                sourceName, sourceIncarnation, forkPosition, forkOffsetRequested, forkSubOffsetRequested, restartable,
                v2 ? readNullableLong(in) : null, v2 ? readNullableLong(in) : null, v2 ? in.readLong() : 0, v2 ? in.readLong() : -1);
    }

    private static void writeCheckpoint(DataOutputStream out, Checkpoint c) throws IOException {
        WriterState s = c.state();
        out.writeLong(c.tail());
        out.writeLong(c.segmentBase());
        out.writeLong(c.logOffset());
        out.writeLong(c.lastAccessMillis());
        out.writeByte((s.closed ? 1 : 0) | (s.softDeleted ? 2 : 0));
        out.writeBoolean(s.closedBy != null);
        if (s.closedBy != null) {
            writeString(out, s.closedBy.id());
            out.writeLong(s.closedBy.epoch());
            out.writeLong(s.closedBy.seq());
        }
        writeNullableString(out, s.lastStreamSeq);
        out.writeInt(s.producers.size());
        for (Map.Entry<String, long[]> p : s.producers.entrySet()) {
            writeString(out, p.getKey());
            out.writeLong(p.getValue()[0]);
            out.writeLong(p.getValue()[1]);
        }
        out.writeLong(s.retainedStart);
        out.writeLong(s.latestSnapshot);
    }

    private static Checkpoint readCheckpoint(DataInputStream in, short version, StreamDescriptor d) throws IOException {
        long tail = in.readLong();
        long segmentBase = in.readLong();
        long logOffset = in.readLong();
        long lastAccess = in.readLong();
        int flags = in.readByte();
        ProducerTuple closedBy = in.readBoolean() ? new ProducerTuple(readString(in), in.readLong(), in.readLong()) : null;
        String lastSeq = readNullableString(in);
        int n = in.readInt();
        Map<String, long[]> producers = new HashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            producers.put(readString(in), new long[] {in.readLong(), in.readLong()});
        }
        boolean v2 = version >= 2;
        long retainedStart = v2 ? in.readLong() : d.initialStart();
        long latestSnapshot = v2 ? in.readLong() : d.initialSnapshot();
        WriterState s = new WriterState(producers, lastSeq, (flags & 1) != 0, closedBy, (flags & 2) != 0, retainedStart, latestSnapshot);
        return new Checkpoint(tail, segmentBase, logOffset, lastAccess, s);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("string length " + n + " exceeds the " + in.available() + " bytes left");
        }
        return new String(in.readNBytes(n), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeNullableString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            writeString(out, s);
        }
    }

    private static String readNullableString(DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }

    private static void writeNullableLong(DataOutputStream out, Long v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeLong(v);
        }
    }

    private static Long readNullableLong(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }
}
