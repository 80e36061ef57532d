package io.durablestreams.client;

import java.net.URI;

/**
 * No response was received: the connection failed, was reset, or timed out.
 *
 * <p>What to do: the request <em>may have been applied</em> by the server. Reads and idempotent-producer
 * appends are safe to retry, and the client already retried them per its {@link RetryPolicy}. A plain
 * {@code append} is not retried after the request was sent unless the client was built with
 * {@code retryUnsafeAppends(true)}: retrying it could store the data twice. Read the stream (or use an
 * {@link IdempotentProducer}) to find out whether the data landed.
 */
public final class StreamNetworkException extends DurableStreamException {
    StreamNetworkException(String message, int status, URI url, Throwable cause) {
        super(message, status, url, cause);
    }
}
