package io.durablestreams.cli;

import java.util.List;

/**
 * Where {@code ds write} sends its input, item by item. An item is one JSON message on a JSON stream
 * and a run of bytes on other streams. Implementations decide how items become requests.
 */
interface WriteTarget extends AutoCloseable {
    /** Queues or sends one item. */
    void add(byte[] item);

    /** Sends {@code items} in one request (after anything buffered), so that they are appended all or none. */
    void addAtomically(List<byte[]> items);

    /**
     * The input has nothing more to read right now: send what is buffered, so that a slow pipe (for
     * example {@code tail -f}) is not held back waiting for a full batch.
     */
    void inputIdle();

    /** Sends everything still buffered and waits for it; returns the stream's tail offset, or null. */
    String finish();

    /** Releases resources; does not send buffered items. */
    @Override
    void close();
}
