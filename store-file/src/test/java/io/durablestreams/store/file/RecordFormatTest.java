package io.durablestreams.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablestreams.engine.store.ProducerTuple;
import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** Round trip and corruption detection of the record frame. Failing seeds replay via jqwik's database. */
class RecordFormatTest {

    @Property
    void everyRecordDecodesToWhatWasEncoded(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long position,
                                            @ForAll @IntRange(min = 0, max = 20) int messages,
                                            @ForAll @StringLength(max = 40) String producerId,
                                            @ForAll boolean withProducer, @ForAll boolean close,
                                            @ForAll @StringLength(max = 20) String streamSeq, @ForAll boolean withSeq,
                                            @ForAll int payloadCrc) {
        int[] ends = new int[messages];
        for (int i = 0; i < messages; i++) {
            ends[i] = (i + 1) * 3;
        }
        ProducerTuple producer = withProducer ? new ProducerTuple(producerId, 7, 42) : null;
        ByteBuffer frame = RecordFormat.encode(RecordFormat.TYPE_APPEND, position, messages * 3, payloadCrc, ends,
                producer, withSeq ? streamSeq : null, close);

        byte[] bytes = frame.array();
        LogRecord r = decode(bytes);

        assertThat(bytes.length).isEqualTo(ByteBuffer.wrap(bytes).getInt(RecordFormat.FRAME_LENGTH_OFFSET));
        assertThat(r.position()).isEqualTo(position);
        assertThat(r.payloadLength()).isEqualTo(messages * 3);
        assertThat(r.payloadCrc()).isEqualTo(payloadCrc);
        assertThat(r.messageEnds()).containsExactly(ends);
        assertThat(r.producer()).isEqualTo(producer);
        assertThat(r.streamSeq()).isEqualTo(withSeq ? streamSeq : null);
        assertThat(r.close()).isEqualTo(close);
    }

    @Property
    void anyFlippedBitIsDetected(@ForAll @IntRange(min = RecordFormat.VERSION_OFFSET * 8, max = 10_000) int bit) {
        byte[] bytes = RecordFormat.encode(RecordFormat.TYPE_APPEND, 100, 6, 0x1234, new int[] {3, 6},
                new ProducerTuple("p", 1, 2), "seq-1", true).array();
        int at = bit % (bytes.length * 8);
        if (at < RecordFormat.VERSION_OFFSET * 8) {
            at += RecordFormat.VERSION_OFFSET * 8;
        }
        bytes[at / 8] ^= (byte) (1 << (at % 8));

        assertThatThrownBy(() -> RecordFormat.decode(bytes, bytes.length))
                .isInstanceOf(RecordFormat.CorruptFrameException.class);
    }

    private static LogRecord decode(byte[] bytes) {
        try {
            return RecordFormat.decode(bytes, bytes.length);
        } catch (RecordFormat.CorruptFrameException e) {
            throw new AssertionError(e);
        }
    }
}
