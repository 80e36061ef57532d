package io.durablestreams.examples;

import io.durablestreams.client.CreateOptions;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamsClient;
import io.durablestreams.client.IdempotentProducer;
import io.durablestreams.client.LiveMode;
import io.durablestreams.client.Offsets;
import io.durablestreams.client.ProducerOptions;
import io.durablestreams.client.ReadOptions;
import io.durablestreams.client.ReadResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

/**
 * One writer, many live readers: every reader tails the same stream over Server-Sent Events and
 * receives every message in order until the writer closes the stream. The server wakes all readers
 * from one append; readers never slow the writer down.
 *
 * <p>Run: {@code java -cp ... io.durablestreams.examples.FanOut [http://127.0.0.1:4437]}
 */
public final class FanOut {
    private static final int READERS = 25;
    private static final int MESSAGES = 200;

    public static void main(String[] args) throws Exception {
        String server = args.length > 0 ? args[0] : "http://127.0.0.1:4437";
        DurableStreamsClient client = DurableStreamsClient.newBuilder().baseUrl(server + "/v1/stream/").build();
        DurableStream prices = client.stream("prices/" + System.nanoTime());
        prices.create(CreateOptions.newBuilder().contentType("application/json").build());

        ExecutorService pool = Executors.newFixedThreadPool(READERS);
        List<Future<List<Object>>> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            readers.add(pool.submit(() -> {
                try (ReadResponse live = prices.read(ReadOptions.newBuilder()
                        .offset(Offsets.BEGINNING).live(LiveMode.SSE).build())) {
                    return live.readAllJson(); // a live read ends when the stream is closed
                }
            }));
        }

        try (IdempotentProducer writer = prices.producer(ProducerOptions.newBuilder("ticker").build())) {
            for (long tick = 0; tick < MESSAGES; tick++) {
                writer.appendJson(Map.of("tick", tick));
            }
            writer.closeStream();
        }

        List<Object> expected = LongStream.range(0, MESSAGES).mapToObj(t -> (Object) Map.of("tick", t)).toList();
        for (Future<List<Object>> reader : readers) {
            if (!reader.get().equals(expected)) {
                throw new AssertionError("a reader got " + reader.get().size() + " messages, or out of order");
            }
        }
        pool.shutdown();
        System.out.println(READERS + " SSE readers each received all " + MESSAGES + " messages, in order");
    }
}
