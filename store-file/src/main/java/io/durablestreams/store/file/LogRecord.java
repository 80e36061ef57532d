package io.durablestreams.store.file;

import io.durablestreams.engine.store.ProducerTuple;

/**
 * One decoded record of a stream's record log (layout: {@link RecordFormat}).
 *
 * @param type          {@link RecordFormat#TYPE_APPEND}, {@link RecordFormat#TYPE_SOFT_DELETE} or {@link RecordFormat#TYPE_RETAIN}
 * @param position      stream position of the payload's first byte (the tail before the record)
 * @param payloadLength payload bytes in the data file (0 for a close-only or soft-delete record)
 * @param payloadCrc    CRC32C of those payload bytes
 * @param messageEnds   exclusive message ends relative to {@code position}
 * @param producer      producer tuple of the append, or null
 * @param streamSeq     Stream-Seq of the append, or null
 * @param close         whether the record closes the stream
 * @param snapshot      whether the append is a snapshot (its position becomes the retained start)
 * @param appendedAtMillis when the append was accepted, or -1 (records written before retention existed)
 * @param retainedStart a {@link RecordFormat#TYPE_RETAIN} record's new retained start, else -1
 */
record LogRecord(byte type, long position, int payloadLength, int payloadCrc, int[] messageEnds,
                 ProducerTuple producer, String streamSeq, boolean close, boolean snapshot, long appendedAtMillis,
                 long retainedStart) {

    /** A record that carries no data and no writer state of its own (soft delete, retained start). */
    static LogRecord marker(byte type, long position, long retainedStart) {
        return new LogRecord(type, position, 0, 0, new int[0], null, null, false, false, -1, retainedStart);
    }

    long end() {
        return position + payloadLength;
    }
}
