package io.durablestreams.store.postgres;

/**
 * One {@code ds_chunk} row: the bytes of one append at {@code [start, end)}.
 *
 * @param messageEnds where each message ends, relative to {@code start}; null when the append is one message
 */
public record ChunkRow(long start, long end, int[] messageEnds, byte[] data) {
}
