package io.durablestreams.client;

import java.net.URI;

/**
 * The server sent something the client cannot interpret: malformed JSON in a JSON-mode response, a
 * malformed or empty SSE {@code control} event, invalid base64 in an SSE data event, or a missing or
 * malformed protocol header.
 *
 * <p>What to do: the read that raised it is over, and no data from the bad response was delivered. The
 * offset of the last delivered chunk is still valid: start a new read from it. Persistent parse errors
 * point at a proxy that rewrites bodies or at a non-conforming server.
 */
public final class ParseException extends DurableStreamException {
    ParseException(String message, int status, URI url, Throwable cause) {
        super(message, status, url, cause);
    }
}
