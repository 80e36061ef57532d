package io.durablestreams.engine.store;

/**
 * One append as the store records it: the bytes, where messages end inside them, and the
 * writer state that must be committed atomically with the bytes (PROTOCOL.md §5.2.1,
 * "Atomicity Requirements").
 *
 * @param data        stored bytes (for JSON streams, each message followed by a comma)
 * @param messageEnds exclusive end of each message, relative to the start of {@code data},
 *                    ascending; the last equals {@code data.length}. Empty for a close-only entry.
 * @param producer    producer tuple of the request, or {@code null}
 * @param streamSeq   the request's {@code Stream-Seq}, or {@code null}
 * @param close       whether the stream is closed by this entry
 * @param snapshot    whether the entry is a snapshot: once it is stored, the stream is served from its
 *                    first byte on ({@code Stream-Snapshot}, retention extension)
 * @param appendedAtMillis when the engine accepted the entry (age retention); a store keeps it with the entry
 */
public record AppendEntry(byte[] data, int[] messageEnds, ProducerTuple producer, String streamSeq, boolean close,
                          boolean snapshot, long appendedAtMillis) {
    public boolean hasData() {
        return data.length > 0;
    }
}
