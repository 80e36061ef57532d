package io.durablestreams.client;

/**
 * Callbacks of {@link ReadResponse#subscribe(ChunkListener)}.
 *
 * <p>Order: zero or more {@link #onChunk}, then exactly one of {@link #onComplete} (the read ended: EOF,
 * catch-up done, or the response was closed) or {@link #onError}. Calls come from one delivery thread,
 * never concurrently. They should not block for long: the next request waits for them.
 */
public interface ChunkListener {
    /** One chunk; persist {@link Chunk#offset()} after processing it to checkpoint. */
    void onChunk(Chunk chunk);

    /** The read failed; no further callbacks follow. The default does nothing. */
    default void onError(DurableStreamException error) {
    }

    /** The read ended normally; no further callbacks follow. The default does nothing. */
    default void onComplete() {
    }
}
