package io.durablestreams.client;

/** How a read behaves once it has caught up with the stream's tail. */
public enum LiveMode {
    /** Catch-up only: read up to the tail as it is now, then end (§5.6). */
    OFF,
    /** Catch up with cacheable plain reads, then follow the stream with long-polling. */
    AUTO,
    /** Follow the stream with long-poll requests (§5.7), after a catch-up unless starting at {@code now}. */
    LONG_POLL,
    /**
     * Follow the stream over Server-Sent Events (§5.8), after a catch-up unless starting at
     * {@code now}; falls back to long-poll when a proxy buffers or strips the event stream.
     */
    SSE
}
