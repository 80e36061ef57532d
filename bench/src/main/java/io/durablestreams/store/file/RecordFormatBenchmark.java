package io.durablestreams.store.file;

import io.durablestreams.engine.store.ProducerTuple;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding (every append) and decoding (recovery, index loads) of a record frame. In the store's
 * package because {@link RecordFormat} is package-private; {@code decode} returns Object because
 * JMH's generated subpackage cannot name the package-private {@code LogRecord}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordFormatBenchmark {
    /** Message ends in the frame: one binary append, or a JSON batch of 1,000 messages. */
    @Param({"1", "1000"})
    public int messages;

    private int[] ends;
    private final ProducerTuple producer = new ProducerTuple("producer-1", 3, 12_345);
    private byte[] frame;

    @Setup
    public void setUp() {
        ends = new int[messages];
        for (int i = 0; i < messages; i++) {
            ends[i] = (i + 1) * 100;
        }
        ByteBuffer b = encode();
        frame = new byte[b.remaining()];
        b.get(frame);
    }

    @Benchmark
    public ByteBuffer encode() {
        return RecordFormat.encode(RecordFormat.TYPE_APPEND, 1_000_000, messages * 100, 0x1234_5678, ends, producer,
                null, false);
    }

    @Benchmark
    public Object decode() throws Exception {
        return RecordFormat.decode(frame, frame.length);
    }
}
