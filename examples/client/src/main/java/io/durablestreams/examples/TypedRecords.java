package io.durablestreams.examples;

import io.durablestreams.client.CloseableIterator;
import io.durablestreams.client.CreateOptions;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamsClient;
import io.durablestreams.client.IdempotentProducer;
import io.durablestreams.client.JsonBatch;
import io.durablestreams.client.ProducerOptions;
import io.durablestreams.client.ReadResponse;
import io.durablestreams.client.jackson.JacksonJsonCodec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Your own types in and out of a JSON stream: with the Jackson codec (ds-client-jackson) plugged
 * in, records are appended with {@code appendJson} and read back typed with
 * {@code jsonBatches(Reading.class)} or {@code readAllJson(Reading.class)}.
 *
 * <p>Run: {@code java -cp ... io.durablestreams.examples.TypedRecords [http://127.0.0.1:4437]}
 */
public final class TypedRecords {
    public record Reading(String sensor, double celsius) {}

    public static void main(String[] args) {
        String server = args.length > 0 ? args[0] : "http://127.0.0.1:4437";
        DurableStreamsClient client = DurableStreamsClient.newBuilder()
                .baseUrl(server + "/v1/stream/")
                .jsonCodec(new JacksonJsonCodec())
                .build();
        DurableStream readings = client.stream("sensors/" + System.nanoTime());
        readings.create(CreateOptions.newBuilder().contentType("application/json").build());

        try (IdempotentProducer producer = readings.producer(ProducerOptions.newBuilder("gateway-1").build())) {
            for (Reading r : List.of(new Reading("kitchen", 21.5), new Reading("cellar", 12.0),
                    new Reading("kitchen", 22.5), new Reading("cellar", 13.0))) {
                producer.appendJson(r);
            }
        }

        Map<String, double[]> sums = new TreeMap<>(); // sensor -> {sum, count}
        try (ReadResponse r = readings.read();
             CloseableIterator<JsonBatch<Reading>> batches = r.jsonBatches(Reading.class)) {
            while (batches.hasNext()) {
                for (Reading reading : batches.next().messages()) {
                    double[] s = sums.computeIfAbsent(reading.sensor(), k -> new double[2]);
                    s[0] += reading.celsius();
                    s[1]++;
                }
            }
        }
        sums.forEach((sensor, s) -> System.out.printf("%s: average %.1f °C over %d readings%n", sensor, s[0] / s[1], (long) s[1]));
        if (sums.get("kitchen")[0] / 2 != 22.0 || sums.get("cellar")[0] / 2 != 12.5) {
            throw new AssertionError("wrong averages: " + sums.keySet());
        }
    }
}
