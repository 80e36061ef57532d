package io.durablestreams.client;

/**
 * Outcome of an append or close.
 *
 * @param nextOffset the tail offset after the request ({@code Stream-Next-Offset}), or {@code null} if the
 *                   server sent none
 * @param closed whether the stream is now closed
 */
public record AppendResult(String nextOffset, boolean closed) {
}
