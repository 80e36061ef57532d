package io.durablestreams.client;

import java.net.URI;

/**
 * A read was rejected because its offset is malformed (HTTP 400 on a read).
 *
 * <p>What to do: offsets are opaque tokens; only use {@code -1}, {@code now}, or a value the server
 * returned for this stream. Discard the bad saved offset and restart from {@code -1} or {@code now}.
 */
public final class InvalidOffsetException extends BadRequestException {
    InvalidOffsetException(String message, int status, URI url, Throwable cause) {
        super(message, status, url, cause);
    }
}
