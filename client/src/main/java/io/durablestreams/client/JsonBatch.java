package io.durablestreams.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The messages of one JSON-mode chunk, decoded with the client's {@link JsonCodec}: as the codec's
 * plain values ({@code JsonBatch<Object>}) or converted to an application type ({@code JsonBatch<Order>}).
 *
 * @param <T> the type of the messages
 * @param messages the decoded messages in stream order (unmodifiable; JSON {@code null} stays {@code null})
 * @param offset the checkpoint: resume after this batch from here
 * @param upToDate whether the reader had caught up with the tail
 * @param closed whether this batch ends the stream (EOF)
 * @param reset whether the read restarted on a recreated stream here; see {@link Chunk#reset()}
 */
public record JsonBatch<T>(List<T> messages, String offset, boolean upToDate, boolean closed, boolean reset) {
    /** Copies {@code messages}. */
    public JsonBatch {
        messages = Collections.unmodifiableList(new ArrayList<>(messages));
    }

    /** A batch that is not a reset marker. */
    public JsonBatch(List<T> messages, String offset, boolean upToDate, boolean closed) {
        this(messages, offset, upToDate, closed, false);
    }
}
