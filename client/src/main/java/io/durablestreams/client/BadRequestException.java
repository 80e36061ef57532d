package io.durablestreams.client;

import java.net.URI;

/**
 * The server rejected the request as malformed (HTTP 400): for example an empty append body, invalid
 * producer headers, a new producer epoch that does not start at sequence 0, or invalid TTL/expiry.
 *
 * <p>What to do: fix the request; retrying it unchanged will fail again. The message carries the
 * server's explanation when it sent one.
 */
public sealed class BadRequestException extends DurableStreamException permits InvalidOffsetException {
    BadRequestException(String message, int status, URI url, Throwable cause) {
        super(message, status, url, cause);
    }
}
