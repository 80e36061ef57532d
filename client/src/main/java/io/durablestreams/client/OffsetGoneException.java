package io.durablestreams.client;

import java.net.URI;

/**
 * The requested data is no longer available (HTTP 410): the offset is older than the retention window,
 * or the stream was soft-deleted while forks still reference it.
 *
 * <p>What to do: the saved offset cannot be resumed. Restart from {@code -1} (the earliest retained data)
 * or from {@code now}, and account for the data you missed.
 */
public final class OffsetGoneException extends DurableStreamException {
    OffsetGoneException(String message, int status, URI url, Throwable cause) {
        super(message, status, url, cause);
    }
}
