package io.durablestreams.store.file;

import io.durablestreams.engine.store.ProducerTuple;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The frame of one record in a stream's record log ({@code <base>.log}). This class is the
 * specification of that layout; all integers are big-endian.
 *
 * <pre>
 * offset  size  field
 *  0      4     FRAME_LENGTH    bytes of the whole frame, this field included
 *  4      4     FRAME_CRC       CRC32C of bytes [8, FRAME_LENGTH)
 *  8      1     VERSION         {@value #VERSION}
 *  9      1     TYPE            {@value #TYPE_APPEND} = append (data and/or close), {@value #TYPE_SOFT_DELETE} = soft delete,
 *                               {@value #TYPE_RETAIN} = retained start (retention: positions before it are no longer served)
 * 10      1     FLAGS           bit 0 close, bit 1 producer present, bit 2 Stream-Seq present, bit 3 snapshot,
 *                               bit 4 append time present, bit 5 retained start present
 * 11      1     reserved        0
 * 12      8     POSITION        stream position of the payload's first byte
 * 20      4     PAYLOAD_LENGTH  payload bytes, stored in the data file at POSITION - segment base
 * 24      4     PAYLOAD_CRC     CRC32C of the payload bytes
 * 28      4     MESSAGE_COUNT   n
 * 32      4n    MESSAGE_ENDS    exclusive end of each message, relative to POSITION, ascending
 *  then, if FLAGS bit 1:  4 ID_LENGTH, ID_LENGTH bytes producer id (UTF-8), 8 EPOCH, 8 SEQ
 *  then, if FLAGS bit 2:  4 SEQ_LENGTH, SEQ_LENGTH bytes Stream-Seq (UTF-8)
 *  then, if FLAGS bit 4:  8 APPEND_MILLIS  when the append was accepted (retention by age)
 *  then, if FLAGS bit 5:  8 RETAINED_START  (TYPE {@value #TYPE_RETAIN}) the stream's new first served position
 * </pre>
 *
 * <p>Retention (docs/extensions/retention.md) added bits 3–5 and TYPE {@value #TYPE_RETAIN} without a
 * new VERSION: older records never set them and read the same. A snapshot append (bit 3) makes its
 * POSITION the stream's retained start once it is stored; a TYPE {@value #TYPE_RETAIN} record (POSITION:
 * the tail, so it continues the log like any record; no payload) raises it to RETAINED_START. Both are
 * rebuilt by replaying records on top of a checkpoint, like the rest of the writer state.
 *
 * <p>Why two checksums: the payload lives in a separate data file so reads can serve it
 * directly (later: {@code FileRegion}/sendfile), so the record cannot checksum it inline.
 * FRAME_CRC proves the record itself is whole; PAYLOAD_CRC proves the payload bytes it points at
 * reached the disk. Recovery accepts a record only when both match and POSITION continues the
 * previous record; the producer tuple, Stream-Seq and closure in the same frame are therefore
 * committed exactly when the data is (PROTOCOL.md §5.2.1, "Atomicity Requirements").
 */
final class RecordFormat {
    static final byte VERSION = 1;
    static final byte TYPE_APPEND = 1;
    static final byte TYPE_SOFT_DELETE = 2;
    static final byte TYPE_RETAIN = 3;

    static final int FRAME_LENGTH_OFFSET = 0;
    static final int FRAME_LENGTH_LENGTH = 4;
    static final int FRAME_CRC_OFFSET = FRAME_LENGTH_OFFSET + FRAME_LENGTH_LENGTH;
    static final int FRAME_CRC_LENGTH = 4;
    static final int VERSION_OFFSET = FRAME_CRC_OFFSET + FRAME_CRC_LENGTH;
    static final int VERSION_LENGTH = 1;
    static final int TYPE_OFFSET = VERSION_OFFSET + VERSION_LENGTH;
    static final int TYPE_LENGTH = 1;
    static final int FLAGS_OFFSET = TYPE_OFFSET + TYPE_LENGTH;
    static final int FLAGS_LENGTH = 1;
    static final int RESERVED_OFFSET = FLAGS_OFFSET + FLAGS_LENGTH;
    static final int RESERVED_LENGTH = 1;
    static final int POSITION_OFFSET = RESERVED_OFFSET + RESERVED_LENGTH;
    static final int POSITION_LENGTH = 8;
    static final int PAYLOAD_LENGTH_OFFSET = POSITION_OFFSET + POSITION_LENGTH;
    static final int PAYLOAD_LENGTH_LENGTH = 4;
    static final int PAYLOAD_CRC_OFFSET = PAYLOAD_LENGTH_OFFSET + PAYLOAD_LENGTH_LENGTH;
    static final int PAYLOAD_CRC_LENGTH = 4;
    static final int MESSAGE_COUNT_OFFSET = PAYLOAD_CRC_OFFSET + PAYLOAD_CRC_LENGTH;
    static final int MESSAGE_COUNT_LENGTH = 4;
    static final int MESSAGE_ENDS_OFFSET = MESSAGE_COUNT_OFFSET + MESSAGE_COUNT_LENGTH;
    /** Bytes of the fixed header: {@value}. */
    static final int HEADER_LENGTH = MESSAGE_ENDS_OFFSET;

    static final int FLAG_CLOSE = 1;
    static final int FLAG_PRODUCER = 1 << 1;
    static final int FLAG_STREAM_SEQ = 1 << 2;
    static final int FLAG_SNAPSHOT = 1 << 3;
    static final int FLAG_TIME = 1 << 4;
    static final int FLAG_RETAINED = 1 << 5;

    /**
     * Largest frame recovery accepts: {@value} bytes. A length field beyond it can only be
     * garbage (the largest append body is 64 MiB; its message ends take at most twice that).
     */
    static final int MAX_FRAME_LENGTH = 256 * 1024 * 1024;

    private RecordFormat() {}

    /** Encodes a record; {@code payloadCrc} is the CRC32C of the payload bytes. */
    static ByteBuffer encode(byte type, long position, int payloadLength, int payloadCrc, int[] messageEnds,
                             ProducerTuple producer, String streamSeq, boolean close) {
        return encode(new LogRecord(type, position, payloadLength, payloadCrc, messageEnds, producer, streamSeq, close, false, -1, -1));
    }

    /** Encodes {@code r}. */
    static ByteBuffer encode(LogRecord r) {
        ProducerTuple producer = r.producer();
        int[] messageEnds = r.messageEnds();
        byte[] id = producer == null ? null : producer.id().getBytes(StandardCharsets.UTF_8);
        byte[] seq = r.streamSeq() == null ? null : r.streamSeq().getBytes(StandardCharsets.UTF_8);
        boolean time = r.appendedAtMillis() >= 0;
        boolean retained = r.retainedStart() >= 0;
        int length = HEADER_LENGTH + 4 * messageEnds.length
                + (id == null ? 0 : 4 + id.length + 16)
                + (seq == null ? 0 : 4 + seq.length)
                + (time ? 8 : 0) + (retained ? 8 : 0);
        int flags = (r.close() ? FLAG_CLOSE : 0) | (id != null ? FLAG_PRODUCER : 0) | (seq != null ? FLAG_STREAM_SEQ : 0)
                | (r.snapshot() ? FLAG_SNAPSHOT : 0) | (time ? FLAG_TIME : 0) | (retained ? FLAG_RETAINED : 0);
        byte type = r.type();
        long position = r.position();
        int payloadLength = r.payloadLength();
        int payloadCrc = r.payloadCrc();
        ByteBuffer b = ByteBuffer.allocate(length);
        b.putInt(length).putInt(0).put(VERSION).put(type).put((byte) flags).put((byte) 0)
                .putLong(position).putInt(payloadLength).putInt(payloadCrc).putInt(messageEnds.length);
        for (int end : messageEnds) {
            b.putInt(end);
        }
        if (id != null) {
            b.putInt(id.length).put(id).putLong(producer.epoch()).putLong(producer.seq());
        }
        if (seq != null) {
            b.putInt(seq.length).put(seq);
        }
        if (time) {
            b.putLong(r.appendedAtMillis());
        }
        if (retained) {
            b.putLong(r.retainedStart());
        }
        b.putInt(FRAME_CRC_OFFSET, frameCrc(b.array(), length));
        return b.flip();
    }

    static int frameCrc(byte[] frame, int frameLength) {
        CRC32C crc = new CRC32C();
        crc.update(frame, VERSION_OFFSET, frameLength - VERSION_OFFSET);
        return (int) crc.getValue();
    }

    /** Thrown for a frame that is torn, corrupt or of an unknown version. */
    static final class CorruptFrameException extends Exception {
        CorruptFrameException(String message) {
            super(message);
        }
    }

    /**
     * Decodes the frame in {@code frame[0, frameLength)} whose length field was already read.
     * Checks the frame CRC and the internal consistency; the payload CRC is the caller's to check.
     */
    static LogRecord decode(byte[] frame, int frameLength) throws CorruptFrameException {
        ByteBuffer b = ByteBuffer.wrap(frame, 0, frameLength);
        int storedCrc = b.getInt(FRAME_CRC_OFFSET);
        int actualCrc = frameCrc(frame, frameLength);
        if (storedCrc != actualCrc) {
            throw new CorruptFrameException("frame CRC mismatch: stored " + Integer.toHexString(storedCrc)
                    + ", computed " + Integer.toHexString(actualCrc) + " over " + frameLength + " bytes");
        }
        try {
            b.position(VERSION_OFFSET);
            byte version = b.get();
            if (version != VERSION) {
                throw new CorruptFrameException("unknown record version " + version + " (expected " + VERSION + ")");
            }
            byte type = b.get();
            int flags = b.get();
            b.get();
            long position = b.getLong();
            int payloadLength = b.getInt();
            int payloadCrc = b.getInt();
            int count = b.getInt();
            if (type != TYPE_APPEND && type != TYPE_SOFT_DELETE && type != TYPE_RETAIN || position < 0 || payloadLength < 0
                    || count < 0 || count > (frameLength - HEADER_LENGTH) / 4) {
                throw new CorruptFrameException("inconsistent header: type " + type + ", position " + position
                        + ", payload length " + payloadLength + ", message count " + count);
            }
            int[] ends = new int[count];
            for (int i = 0; i < count; i++) {
                ends[i] = b.getInt();
            }
            ProducerTuple producer = null;
            if ((flags & FLAG_PRODUCER) != 0) {
                String id = string(b);
                producer = new ProducerTuple(id, b.getLong(), b.getLong());
            }
            String seq = (flags & FLAG_STREAM_SEQ) != 0 ? string(b) : null;
            long appendedAt = (flags & FLAG_TIME) != 0 ? b.getLong() : -1;
            long retainedStart = (flags & FLAG_RETAINED) != 0 ? b.getLong() : -1;
            if (b.position() != frameLength) {
                throw new CorruptFrameException("frame of " + frameLength + " bytes has " + (frameLength - b.position()) + " trailing bytes");
            }
            if (type == TYPE_RETAIN && (retainedStart < 0 || retainedStart > position)) {
                throw new CorruptFrameException("retained start " + retainedStart + " outside [0, " + position + "]");
            }
            return new LogRecord(type, position, payloadLength, payloadCrc, ends, producer, seq, (flags & FLAG_CLOSE) != 0,
                    (flags & FLAG_SNAPSHOT) != 0, appendedAt, retainedStart);
        } catch (RuntimeException e) {
            throw new CorruptFrameException("malformed frame of " + frameLength + " bytes: " + e);
        }
    }

    private static String string(ByteBuffer b) {
        int n = b.getInt();
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
