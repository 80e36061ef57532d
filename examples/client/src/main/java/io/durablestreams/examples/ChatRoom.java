package io.durablestreams.examples;

import io.durablestreams.client.CloseableIterator;
import io.durablestreams.client.CreateOptions;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamsClient;
import io.durablestreams.client.JsonBatch;
import io.durablestreams.client.Offsets;
import io.durablestreams.client.ReadOptions;
import io.durablestreams.client.ReadResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat room: one JSON stream per room, messages appended by anyone, and readers that checkpoint
 * the offset of every batch they handled. A reader that restarts continues from its checkpoint:
 * it sees each message once, however often it stops.
 *
 * <p>Run: {@code java -cp ... io.durablestreams.examples.ChatRoom [http://127.0.0.1:4437]}
 */
public final class ChatRoom {
    /** Where readers keep their place: a database row or a file in a real application. */
    private static final Map<String, String> checkpoints = new HashMap<>();

    public static void main(String[] args) {
        String server = args.length > 0 ? args[0] : "http://127.0.0.1:4437";
        DurableStreamsClient client = DurableStreamsClient.newBuilder().baseUrl(server + "/v1/stream/").build();
        DurableStream room = client.stream("rooms/lobby-" + System.nanoTime());
        room.create(CreateOptions.newBuilder().contentType("application/json").build());

        room.appendJson(Map.of("from", "ada", "text", "hi all"));
        room.appendJson(Map.of("from", "bob", "text", "hello ada"));
        List<String> firstVisit = catchUp(room, "carol");

        room.appendJson(Map.of("from", "ada", "text", "carol, you there?"));
        room.appendJson(Map.of("from", "dan", "text", "she went offline"));
        List<String> secondVisit = catchUp(room, "carol"); // a restart: only what is new since the checkpoint

        System.out.println("carol, first visit:  " + firstVisit);
        System.out.println("carol, second visit: " + secondVisit);
        if (firstVisit.size() != 2 || !secondVisit.equals(List.of("ada: carol, you there?", "dan: she went offline"))) {
            throw new AssertionError("a message was lost or shown twice");
        }
    }

    /** Reads what {@code reader} has not seen yet, saving the checkpoint after each batch. */
    private static List<String> catchUp(DurableStream room, String reader) {
        String from = checkpoints.getOrDefault(reader, Offsets.BEGINNING);
        List<String> shown = new ArrayList<>();
        try (ReadResponse r = room.read(ReadOptions.newBuilder().offset(from).build());
             CloseableIterator<JsonBatch<Map>> batches = r.jsonBatches(Map.class)) {
            while (batches.hasNext()) {
                JsonBatch<Map> batch = batches.next();
                for (Map<?, ?> message : batch.messages()) {
                    shown.add(message.get("from") + ": " + message.get("text"));
                }
                checkpoints.put(reader, batch.offset()); // after handling: a crash before this re-shows the batch
            }
        }
        return shown;
    }
}
