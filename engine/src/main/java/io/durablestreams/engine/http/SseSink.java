package io.durablestreams.engine.http;

import java.nio.ByteBuffer;

/**
 * The connection an SSE session writes to. All methods must be called on the connection's
 * executor ({@link LiveContext#executor()}).
 */
public interface SseSink {
    /** False while the connection's outbound buffer is full; write nothing more until resumed. */
    boolean isWritable();

    /** Queues bytes; they are sent on {@link #flush()}. */
    void write(ByteBuffer bytes);

    void flush();

    /** Ends the response; idempotent. */
    void close();

    boolean isOpen();

    /** Calls {@code task} when the connection becomes writable again or closes. */
    void onWritable(Runnable task);

    /** Calls {@code task} once when the connection closes, from either side. */
    void onClose(Runnable task);
}
