package io.durablestreams.client;

import java.net.URI;

/**
 * The stream does not exist (HTTP 404): it was never created, was deleted, or expired.
 *
 * <p>What to do: do not retry the same request. Create the stream first, or treat the resource as gone;
 * a reader holding a saved offset should drop it.
 */
public final class StreamNotFoundException extends DurableStreamException {
    StreamNotFoundException(String message, int status, URI url, Throwable cause) {
        super(message, status, url, cause);
    }
}
