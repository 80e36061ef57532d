package io.durablestreams.client;

import java.net.URI;

/**
 * An idempotent producer's batch arrived with a sequence number beyond the next expected one (HTTP 409
 * with {@code Producer-Expected-Seq}, §5.2.1).
 *
 * <p>The {@link IdempotentProducer} recovers from gaps caused by pipelined requests arriving out of order
 * by itself; this exception reaches the caller only when the gap persists (an earlier batch was lost for
 * good, or the server forgot the producer's state). What to do: bump the epoch to start a clean session,
 * then re-send the data that was not acknowledged.
 */
public final class SequenceGapException extends DurableStreamException {
    private final long expectedSeq;
    private final long receivedSeq;

    SequenceGapException(String message, int status, URI url, long expectedSeq, long receivedSeq) {
        super(message, status, url, null);
        this.expectedSeq = expectedSeq;
        this.receivedSeq = receivedSeq;
    }

    /** The sequence number the server expected next. */
    public long expectedSeq() {
        return expectedSeq;
    }

    /** The sequence number the server received. */
    public long receivedSeq() {
        return receivedSeq;
    }
}
