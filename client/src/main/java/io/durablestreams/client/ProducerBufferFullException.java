package io.durablestreams.client;

/**
 * {@link IdempotentProducer#append} waited {@link ProducerOptions#maxBlockMs()} for buffer space
 * ({@link ProducerOptions#maxBufferedBytes()}) without getting it: the server or the network does
 * not keep up with the writer. Nothing of the rejected item was queued; the producer stays usable.
 *
 * <p>What to do: slow down, retry the item later, or raise the limits.
 */
public final class ProducerBufferFullException extends RuntimeException {
    ProducerBufferFullException(String message) {
        super(message);
    }
}
