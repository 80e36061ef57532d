package io.durablestreams.client;

import java.net.URI;

/**
 * An append carried a {@code Stream-Seq} that is not greater than the last one the stream accepted
 * (HTTP 409, §5.2).
 *
 * <p>What to do: the writer's sequence went backwards, usually because a second writer shares the
 * sequence space or because the same append was already applied. Do not retry with the same value; read
 * the stream to reconcile, then continue with a larger sequence.
 */
public final class SequenceConflictException extends DurableStreamException {
    SequenceConflictException(String message, int status, URI url) {
        super(message, status, url, null);
    }
}
