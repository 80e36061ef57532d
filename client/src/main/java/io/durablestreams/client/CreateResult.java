package io.durablestreams.client;

/**
 * Outcome of {@link DurableStream#create}.
 *
 * @param created {@code true} for 201 (new stream), {@code false} for 200 (it already existed with the
 *                same configuration)
 * @param nextOffset the tail offset after any initial body, or {@code null} if the server sent none
 * @param closed whether the stream is closed
 */
public record CreateResult(boolean created, String nextOffset, boolean closed) {
}
