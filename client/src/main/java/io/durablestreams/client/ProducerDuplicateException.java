package io.durablestreams.client;

import java.net.URI;

/**
 * The server answered a producer's <em>first</em> try of a batch with "duplicate" (HTTP 204, §5.2.1): it
 * already held this sequence number of this producer id and epoch, written by another instance of the
 * producer, typically an earlier run of the same program that started at the same epoch. The batch was
 * not written, and the producer stops before writing anything after it.
 *
 * <p>A 204 on a re-sent try (after a timeout, a dropped connection or a 5xx) is the server recognising
 * our own earlier try, and is a success; only a 204 that cannot be ours raises this exception.
 *
 * <p>What to do: a producer instance needs an epoch no earlier instance used. Start with a higher epoch
 * (store it and bump it on every restart), or enable {@link ProducerOptions.Builder#autoClaim autoClaim},
 * which claims the next epoch by itself and writes the batch there. If this run deliberately re-sends
 * the same input as the earlier run to finish what it left undone, build the producer with
 * {@link ProducerOptions.Builder#deduplicateAcrossRuns deduplicateAcrossRuns}.
 */
public final class ProducerDuplicateException extends DurableStreamException {
    private final String producerId;
    private final long epoch;
    private final long seq;

    ProducerDuplicateException(String producerId, long epoch, long seq, URI url) {
        super("Producer " + producerId + " epoch " + epoch + " seq " + seq + " on " + url
                + ": the server already held this sequence number from another instance of the producer"
                + " (an earlier run with the same id and epoch), so the batch was not written;"
                + " start with a higher epoch or enable autoClaim", 204, url, null);
        this.producerId = producerId;
        this.epoch = epoch;
        this.seq = seq;
    }

    /** The producer id. */
    public String producerId() {
        return producerId;
    }

    /** The epoch the batch was sent with. */
    public long epoch() {
        return epoch;
    }

    /** The sequence number the server already held. */
    public long seq() {
        return seq;
    }
}
