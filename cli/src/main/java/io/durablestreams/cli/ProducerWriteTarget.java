package io.durablestreams.cli;

import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamException;
import io.durablestreams.client.IdempotentProducer;
import io.durablestreams.client.ProducerOptions;
import java.util.List;

/**
 * Exactly-once appends through an {@link IdempotentProducer}. Each item is its own batch (no linger),
 * so batch {@code n} always holds item {@code n}: the sequence numbers depend on the input only, and
 * re-running the same command with the same producer id, epoch and input is deduplicated by the server
 * instead of appending twice. Requests are pipelined by the producer.
 */
final class ProducerWriteTarget implements WriteTarget {
    /** Waiting for acknowledgements this often bounds the memory held by unsent items. */
    static final int FLUSH_EVERY_ITEMS = 1000;
    static final long FLUSH_EVERY_BYTES = 8L << 20;

    private final IdempotentProducer producer;
    private int unflushedItems;
    private long unflushedBytes;

    /**
     * @param atomic whether this target serves {@link #addAtomically}: items then wait until a flush
     *               instead of being sent one by one
     */
    ProducerWriteTarget(DurableStream stream, String contentType, String producerId, long epoch, boolean autoClaim,
                        boolean atomic) {
        this.producer = stream.producer(ProducerOptions.newBuilder(producerId).epoch(epoch).autoClaim(autoClaim)
                .contentType(contentType).lingerMs(atomic ? Long.MAX_VALUE : 0).build());
    }

    @Override
    public void add(byte[] item) {
        producer.append(item);
        unflushedItems++;
        unflushedBytes += item.length;
        if (unflushedItems >= FLUSH_EVERY_ITEMS || unflushedBytes >= FLUSH_EVERY_BYTES) {
            producer.flush();
            unflushedItems = 0;
            unflushedBytes = 0;
        }
    }

    /**
     * One batch, hence one request, as long as the items fit the producer's batch limits
     * ({@link ProducerOptions#DEFAULT_MAX_BATCH_BYTES} bytes, {@link ProducerOptions#DEFAULT_MAX_BATCH_ITEMS}
     * items); larger inputs are split at those limits, still deterministically.
     */
    @Override
    public void addAtomically(List<byte[]> items) {
        items.forEach(producer::append);
        producer.flush();
    }

    @Override
    public void inputIdle() {
        // Items are sent as they arrive; flushing here would only make the batching depend on timing.
    }

    @Override
    public String finish() {
        producer.flush();
        return producer.lastOffset();
    }

    /** Releases the producer's threads. A failure it reports was already thrown by add or finish. */
    @Override
    public void close() {
        try {
            producer.close();
        } catch (DurableStreamException alreadyReported) {
            // rethrowing would replace (or self-suppress) the exception the command is reporting
        }
    }
}
