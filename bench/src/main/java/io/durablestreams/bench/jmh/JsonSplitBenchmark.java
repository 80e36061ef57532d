package io.durablestreams.bench.jmh;

import io.durablestreams.engine.json.JsonMessages;
import java.nio.charset.StandardCharsets;
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
 * JSON appends are validated, re-serialized and split into messages before they are stored; this
 * bounds the JSON producer's throughput. Score is per call; divide by {@code messages} for per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JsonSplitBenchmark {
    /** A single message, a typical producer batch, and a large one. */
    @Param({"1", "1000", "10000"})
    public int messages;

    private byte[] body;

    @Setup
    public void setUp() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < messages; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"id\":").append(i).append(",\"user\":\"u-").append(i % 97)
                    .append("\",\"score\":12.5,\"ok\":true,\"tags\":[\"a\",\"b\"],\"p\":\"xxxxxxxxxxxxxxxxxxxx\"}");
        }
        body = sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public JsonMessages.Split split() throws JsonMessages.InvalidJsonException {
        return JsonMessages.split(body);
    }
}
