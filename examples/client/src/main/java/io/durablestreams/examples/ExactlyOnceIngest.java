package io.durablestreams.examples;

import io.durablestreams.client.CreateOptions;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamsClient;
import io.durablestreams.client.IdempotentProducer;
import io.durablestreams.client.ProducerOptions;
import io.durablestreams.client.ReadResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Exactly-once ingestion of a file: an ingester that dies half-way and is simply started again on
 * the same file appends every line once. Both runs use the same producer id and epoch and cut the
 * input into the same batches, so the server recognises the batches the first run wrote and the
 * second run skips them ({@code deduplicateAcrossRuns}) — no checkpoint needed. This is how
 * {@code ds write --producer-id} works.
 *
 * <p>Run: {@code java -cp ... io.durablestreams.examples.ExactlyOnceIngest [http://127.0.0.1:4437]}
 */
public final class ExactlyOnceIngest {
    private static final int LINES = 1_000;

    public static void main(String[] args) throws Exception {
        String server = args.length > 0 ? args[0] : "http://127.0.0.1:4437";
        DurableStreamsClient client = DurableStreamsClient.newBuilder().baseUrl(server + "/v1/stream/").build();
        Path file = Files.createTempFile("events", ".ndjson");
        Files.write(file, IntStream.range(0, LINES).mapToObj(i -> "{\"event\":" + i + "}").toList());
        DurableStream events = client.stream("ingest/" + System.nanoTime());
        events.create(CreateOptions.newBuilder().contentType("application/json").build());

        ingest(events, file, LINES / 2); // the first run dies half-way: its progress is lost with it
        long skipped = ingest(events, file, LINES); // started again from the top of the file

        List<Object> stored;
        try (ReadResponse r = events.read()) {
            stored = r.readAllJson();
        }
        System.out.println("second run: " + skipped + " lines already ingested, skipped; the stream holds "
                + stored.size() + " events");
        for (int i = 0; i < LINES; i++) {
            if (!stored.get(i).equals(Map.of("event", (long) i))) {
                throw new AssertionError("event " + i + " is " + stored.get(i));
            }
        }
        if (stored.size() != LINES || skipped != LINES / 2) {
            throw new AssertionError(stored.size() + " events stored, " + skipped + " skipped");
        }
        Files.delete(file);
    }

    /** Sends the first {@code lines} lines of {@code file}; returns how many the server already held. */
    private static long ingest(DurableStream events, Path file, int lines) throws Exception {
        ProducerOptions options = ProducerOptions.newBuilder("ingest-" + file.getFileName())
                .epoch(1)                     // the same in every run of this ingestion job
                .deduplicateAcrossRuns(true)  // a batch the server holds counts as written
                .maxBatchItems(100)           // batches cut by count only, the same in every run
                .lingerMs(60_000)
                .build();
        try (IdempotentProducer producer = events.producer(options);
             var input = Files.lines(file)) {
            input.limit(lines).forEach(producer::append);
            producer.flush();
            return producer.deduplicatedItems();
        }
    }
}
