package io.durablestreams.client;

import java.net.URI;

/**
 * The stream is closed and accepts no more appends (HTTP 409 with {@code Stream-Closed: true}, §4.1).
 *
 * <p>What to do: stop writing; closure is permanent. Readers will see EOF at {@link #finalOffset()}.
 * Retrying is pointless.
 */
public final class StreamClosedException extends DurableStreamException {
    private final String finalOffset;

    StreamClosedException(String message, int status, URI url, String finalOffset) {
        super(message, status, url, null);
        this.finalOffset = finalOffset;
    }

    /** The stream's final offset as reported by the server, or {@code null} if it sent none. */
    public String finalOffset() {
        return finalOffset;
    }
}
