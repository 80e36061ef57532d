package io.durablestreams.examples;

import io.durablestreams.client.Chunk;
import io.durablestreams.client.CloseableIterator;
import io.durablestreams.client.CreateOptions;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamsClient;
import io.durablestreams.client.IdempotentProducer;
import io.durablestreams.client.LiveMode;
import io.durablestreams.client.Offsets;
import io.durablestreams.client.ProducerOptions;
import io.durablestreams.client.ReadOptions;
import io.durablestreams.client.ReadResponse;

/**
 * AI token streaming that survives a reader disconnect: a model writes its answer token by token
 * into a text stream; the reader (a browser tab, say) drops off half-way, comes back with the
 * offset it had reached, and gets exactly the rest — nothing lost, nothing twice.
 *
 * <p>Run: {@code java -cp ... io.durablestreams.examples.TokenStreaming [http://127.0.0.1:4437]}
 */
public final class TokenStreaming {
    private static final String ANSWER = "Durable streams keep every token, so a reader that reconnects "
            + "resumes exactly where it left off instead of asking the model again.";

    public static void main(String[] args) throws Exception {
        String server = args.length > 0 ? args[0] : "http://127.0.0.1:4437";
        DurableStreamsClient client = DurableStreamsClient.newBuilder().baseUrl(server + "/v1/stream/").build();
        DurableStream answer = client.stream("answers/" + System.nanoTime());
        answer.create(CreateOptions.newBuilder().contentType("text/plain").ttlSeconds(3600).build());

        // The model: one token every few milliseconds, exactly once even if a request is retried.
        Thread model = new Thread(() -> {
            try (IdempotentProducer tokens = answer.producer(ProducerOptions.newBuilder("model-run-1").lingerMs(0).build())) {
                for (String token : ANSWER.split("(?<= )")) {
                    tokens.append(token);
                    Thread.sleep(5);
                }
                tokens.closeStream(); // EOF: the answer is complete
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        model.start();

        // The reader: tails live, and disconnects after the first few tokens.
        StringBuilder seen = new StringBuilder();
        String resumeAt;
        try (ReadResponse live = answer.read(ReadOptions.newBuilder().offset(Offsets.BEGINNING).live(LiveMode.SSE).build());
             CloseableIterator<Chunk> chunks = live.chunks()) {
            while (seen.length() < 20 && chunks.hasNext()) {
                seen.append(chunks.next().text());
            }
            resumeAt = live.offset(); // what a browser would keep in memory or localStorage
        }
        System.out.println("reader: disconnected after \"" + seen + "\" at offset " + resumeAt);

        // Back online: continue from the saved offset until the model closes the stream.
        try (ReadResponse rest = answer.read(ReadOptions.newBuilder().offset(resumeAt).live(LiveMode.SSE).build())) {
            seen.append(rest.readAllText());
        }
        model.join();
        System.out.println("reader: resumed and got the rest: \"" + seen + "\"");
        if (!seen.toString().equals(ANSWER)) {
            throw new AssertionError("the answer arrived damaged: " + seen);
        }
    }
}
