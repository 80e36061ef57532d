package io.durablestreams.example;

import io.durablestreams.client.CreateOptions;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamsClient;
import io.durablestreams.client.ReadOptions;
import io.durablestreams.client.ReadResponse;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A chat room is a JSON stream {@code chat/ROOM}; each message one JSON value. */
@RestController
public class ChatController {
    private final DurableStreamsClient streams;

    public ChatController(DurableStreamsClient streams) {
        this.streams = streams;
    }

    /** A message from {@code {"user": ..., "text": ...}}; the room is created on its first message. */
    @PostMapping("/chat/{room}")
    public Map<String, Object> post(@PathVariable("room") String room, @RequestBody Map<String, String> message) {
        DurableStream stream = room(room);
        stream.create(CreateOptions.newBuilder().contentType("application/json").build()); // 200 when it exists
        var result = stream.appendJson(Map.of("user", message.getOrDefault("user", "anonymous"),
                "text", message.getOrDefault("text", "")));
        return Map.of("room", room, "offset", result.nextOffset());
    }

    /** Every message so far, oldest first. */
    @GetMapping("/chat/{room}")
    public List<Object> history(@PathVariable("room") String room) {
        try (ReadResponse r = room(room).read(ReadOptions.newBuilder().offset("-1").build())) {
            return r.readAllJson();
        }
    }

    private DurableStream room(String room) {
        return streams.stream("chat/" + room);
    }
}
