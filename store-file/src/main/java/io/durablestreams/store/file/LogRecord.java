package io.durablestreams.store.file;

import io.durablestreams.engine.store.ProducerTuple;

/**
 * One decoded record of a stream's record log (layout: {@link RecordFormat}).
 *
 * @param type          {@link RecordFormat#TYPE_APPEND} or {@link RecordFormat#TYPE_SOFT_DELETE}
 * @param position      stream position of the payload's first byte (the tail before the record)
 * @param payloadLength payload bytes in the data file (0 for a close-only or soft-delete record)
 * @param payloadCrc    CRC32C of those payload bytes
 * @param messageEnds   exclusive message ends relative to {@code position}
 * @param producer      producer tuple of the append, or null
 * @param streamSeq     Stream-Seq of the append, or null
 * @param close         whether the record closes the stream
 */
record LogRecord(byte type, long position, int payloadLength, int payloadCrc, int[] messageEnds,
                 ProducerTuple producer, String streamSeq, boolean close) {

    long end() {
        return position + payloadLength;
    }
}
