package io.durablestreams.client;

import java.util.Iterator;

/**
 * An iterator over a read that holds a connection: close it (try-with-resources) when you stop early.
 * {@link #hasNext()} blocks until the next element or the end of the read; it throws the read's
 * {@link DurableStreamException} if the read fails. Not thread-safe, except {@link #close()}, which may
 * be called from any thread to stop a blocked {@code hasNext()}.
 *
 * @param <T> element type
 */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {
    /** Stops the read and releases its connection. Idempotent. */
    @Override
    void close();
}
