package io.durablestreams.bench.jmh;

import io.durablestreams.protocol.Offset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The offset codec runs on every request (parse) and every response (format). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OffsetBenchmark {
    private final Offset offset = new Offset(42, 123_456_789L);
    private final String token = offset.toString();

    @Benchmark
    public Offset parse() {
        return Offset.parse(token);
    }

    @Benchmark
    public String format() {
        return offset.toString();
    }
}
