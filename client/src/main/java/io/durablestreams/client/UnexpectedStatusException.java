package io.durablestreams.client;

import java.net.URI;

/**
 * The server answered with a status the protocol does not assign a meaning to here, or kept answering
 * 5xx/429 until the retry policy was exhausted.
 *
 * <p>What to do: for 5xx and 429 the client has already retried with backoff; retry later at a higher
 * level, or surface the error. For other statuses (for example 401, 403 without producer headers, 413)
 * fix the request or its credentials; an {@link ErrorHandler} can refresh headers and retry.
 */
public final class UnexpectedStatusException extends DurableStreamException {
    UnexpectedStatusException(String message, int status, URI url, Throwable cause) {
        super(message, status, url, cause);
    }
}
