package io.durablestreams.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One batch of data from a read, with the stream position after it.
 *
 * <p>{@link #offset()} is the checkpoint: persist it after processing {@link #data()} and resume a later
 * read from it to continue exactly after this chunk. Empty chunks are delivered only to signal a state
 * change: reaching the tail ({@link #upToDate()}), EOF ({@link #closed()}) or a restart after the stream
 * was recreated ({@link #reset()}).
 *
 * <p>For JSON streams {@link #data()} is one JSON array holding the batch's messages (empty when the
 * batch has none).
 */
public final class Chunk {
    private final byte[] data;
    private final String offset;
    private final String cursor;
    private final boolean upToDate;
    private final boolean closed;
    private final boolean reset;

    Chunk(byte[] data, String offset, String cursor, boolean upToDate, boolean closed) {
        this(data, offset, cursor, upToDate, closed, false);
    }

    Chunk(byte[] data, String offset, String cursor, boolean upToDate, boolean closed, boolean reset) {
        this.data = data;
        this.offset = offset;
        this.cursor = cursor;
        this.upToDate = upToDate;
        this.closed = closed;
        this.reset = reset;
    }

    /** The chunk's bytes (a copy). */
    public byte[] data() {
        return data.clone();
    }

    /** Number of bytes in the chunk. */
    public int size() {
        return data.length;
    }

    /** Whether the chunk carries no data (a pure up-to-date or EOF signal). */
    public boolean isEmpty() {
        return data.length == 0;
    }

    /** The bytes decoded as UTF-8; malformed sequences become U+FFFD. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** The offset to resume from after this chunk. */
    public String offset() {
        return offset;
    }

    /** The server's cursor at this point, or {@code null}. */
    public String cursor() {
        return cursor;
    }

    /** Whether the reader had caught up with the tail when this chunk was sent. */
    public boolean upToDate() {
        return upToDate;
    }

    /** Whether the stream is closed and this chunk ends it: EOF. */
    public boolean closed() {
        return closed;
    }

    /**
     * Whether the stream was deleted and recreated and the read restarted (stream-incarnations
     * extension): this empty chunk is the first of the new incarnation, and everything delivered before
     * it belongs to a stream that no longer exists. Clear state derived from it, and checkpoint
     * {@link #offset()} as usual.
     */
    public boolean reset() {
        return reset;
    }

    byte[] rawData() {
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Chunk c && Arrays.equals(data, c.data) && offset.equals(c.offset)
                && java.util.Objects.equals(cursor, c.cursor) && upToDate == c.upToDate && closed == c.closed && reset == c.reset;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + offset.hashCode();
    }

    @Override
    public String toString() {
        return "Chunk{bytes=" + data.length + ", offset=" + offset + ", upToDate=" + upToDate + ", closed=" + closed
                + (reset ? ", reset=true" : "") + "}";
    }
}
