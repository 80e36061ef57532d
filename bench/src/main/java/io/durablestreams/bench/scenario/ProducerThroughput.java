package io.durablestreams.bench.scenario;

import io.durablestreams.bench.MachineLoad;
import io.durablestreams.bench.Results;
import io.durablestreams.bench.Scenario;
import io.durablestreams.bench.Target;
import io.durablestreams.bench.http.HttpLoadClient;
import io.durablestreams.client.CreateOptions;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamsClient;
import io.durablestreams.client.IdempotentProducer;
import io.durablestreams.client.ProducerOptions;
import java.util.Map;

/**
 * Scenario 3: our Java client's idempotent producer (default linger, batching and pipelining) writes
 * 100-byte messages into one stream; the clock stops when {@code flush()} returns, i.e. when the last
 * batch is acknowledged as durable.
 */
public final class ProducerThroughput implements Scenario {
    private static final int RUNS = 3;
    /** Distinct pre-serialized messages cycled through, so the measurement excludes building them. */
    private static final int DISTINCT = 1024;

    @Override
    public String id() {
        return "s3";
    }

    @Override
    public void run(Target target, Results out) throws Exception {
        DurableStreamsClient client = DurableStreamsClient.newBuilder().baseUrl(target.base() + "/").build();
        byte[][] json = new byte[DISTINCT][];
        byte[][] binary = new byte[DISTINCT][];
        for (int i = 0; i < DISTINCT; i++) {
            json[i] = StreamOps.jsonMessage(i, 100);
            binary[i] = StreamOps.filler(100);
        }
        measure(client, target, out, "s3.json_messages_per_s", StreamOps.JSON, json, target.scaled(1_000_000, 2_000));
        measure(client, target, out, "s3.binary_messages_per_s", StreamOps.BINARY, binary, target.scaled(2_000_000, 2_000));
    }

    private static void measure(DurableStreamsClient client, Target target, Results out, String metric,
            String contentType, byte[][] messages, int count) {
        produce(client, contentType, messages, count / 4);
        Results.RunSet runs = out.runSet();
        for (int run = 0; run < RUNS; run++) {
            double rate = produce(client, contentType, messages, count);
            MachineLoad.log("%s run %d: %d messages, %.0f messages/s", metric, run, count, rate);
            runs.run(Map.of(metric, rate));
        }
        runs.commit();
    }

    private static double produce(DurableStreamsClient client, String contentType, byte[][] messages, int count) {
        DurableStream stream = client.stream(HttpLoadClient.streamPath(Target.uniqueName("s3")).substring(1));
        stream.create(CreateOptions.newBuilder().contentType(contentType).build());
        long t0 = System.nanoTime();
        try (IdempotentProducer producer = stream.producer(ProducerOptions.newBuilder("bench").build())) {
            for (int i = 0; i < count; i++) {
                producer.append(messages[i % messages.length]);
            }
            producer.flush();
        }
        return count / ((System.nanoTime() - t0) / 1e9);
    }
}
