package io.durablestreams.cli;

import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamException;
import io.durablestreams.client.IdempotentProducer;
import io.durablestreams.client.ProducerOptions;
import java.io.PrintStream;
import java.util.List;

/**
 * Exactly-once appends through an {@link IdempotentProducer}. Each item is its own batch (no linger),
 * so batch {@code n} always holds item {@code n}: the sequence numbers depend on the input only, and
 * re-running the same command with the same producer id, epoch and input is deduplicated by the server
 * instead of appending twice ({@link ProducerOptions.Builder#deduplicateAcrossRuns}). Requests are
 * pipelined by the producer.
 *
 * <p>The server cannot tell a re-run from a different input written with the same id and epoch, so
 * items it already held are reported on stderr when the target closes: they were not appended. With
 * autoClaim each run is a new producer instance instead, which claims a fresh epoch and appends all of
 * its input.
 */
final class ProducerWriteTarget implements WriteTarget {
    /** Waiting for acknowledgements this often bounds the memory held by unsent items. */
    static final int FLUSH_EVERY_ITEMS = 1000;
    static final long FLUSH_EVERY_BYTES = 8L << 20;

    private final IdempotentProducer producer;
    private final PrintStream err;
    private long items;
    private int unflushedItems;
    private long unflushedBytes;

    /**
     * @param atomic whether this target serves {@link #addAtomically}: items then wait until a flush
     *               instead of being sent one by one
     */
    ProducerWriteTarget(DurableStream stream, String contentType, String producerId, long epoch, boolean autoClaim,
                        boolean atomic, PrintStream err) {
        this.producer = stream.producer(ProducerOptions.newBuilder(producerId).epoch(epoch).autoClaim(autoClaim)
                .deduplicateAcrossRuns(!autoClaim)
                .contentType(contentType).lingerMs(atomic ? Long.MAX_VALUE : 0).build());
        this.err = err;
    }

    @Override
    public void add(byte[] item) {
        producer.append(item);
        items++;
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
        this.items += items.size();
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

    /**
     * Releases the producer's threads and reports items that were not appended because an earlier run
     * had written them, also when the write failed part way. A failure the producer reports was already
     * thrown by add or finish.
     */
    @Override
    public void close() {
        try {
            producer.close();
        } catch (DurableStreamException alreadyReported) {
            // rethrowing would replace (or self-suppress) the exception the command is reporting
        }
        long skipped = producer.deduplicatedItems();
        if (skipped > 0) {
            err.println("ds write: warning: " + skipped + " of " + items + " items were not appended: producer "
                    + producer.producerId() + " epoch " + producer.epoch() + " had already written them in an"
                    + " earlier run (a re-run of the same input appends only what is missing; to append new data,"
                    + " use a higher --epoch or --auto-claim)");
        }
    }
}
