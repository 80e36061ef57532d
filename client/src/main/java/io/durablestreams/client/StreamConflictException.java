package io.durablestreams.client;

import java.net.URI;

/**
 * The request conflicts with the stream's configuration (HTTP 409): a create whose content type, TTL,
 * expiry or closure differs from the existing stream, or an append with a mismatching content type.
 *
 * <p>What to do: this is a programming or deployment error; retrying the same request will fail again.
 * Inspect the stream with {@code head()} and align the request with its configuration.
 */
public final class StreamConflictException extends DurableStreamException {
    StreamConflictException(String message, int status, URI url, Throwable cause) {
        super(message, status, url, cause);
    }
}
