package io.durablestreams.client;

import java.net.URI;

/**
 * A conditional append ({@link AppendOptions.Builder#ifTailAt(String)}) found the stream at another
 * tail: someone appended since this writer looked (HTTP 412, problem type {@code tail-moved}).
 * Nothing was written.
 *
 * <p>What to do: read what was appended up to {@link #currentTail()}, recompute, and append again
 * conditioned on that tail.
 */
public final class TailMovedException extends DurableStreamException {
    private final String currentTail;

    TailMovedException(String message, int status, URI url, String currentTail) {
        super(message, status, url, null);
        this.currentTail = currentTail;
    }

    /** The stream's tail when the append was refused ({@code Stream-Next-Offset}), or {@code null} if the server sent none. */
    public String currentTail() {
        return currentTail;
    }
}
