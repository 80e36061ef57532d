package io.durablestreams.client;

import java.net.URI;

/**
 * The requested data is no longer available (HTTP 410): the offset lies before the stream's earliest
 * retained offset (its data was reclaimed by retention, docs/extensions/retention.md), or the stream
 * was soft-deleted while forks still reference it.
 *
 * <p>What to do: the saved offset cannot be resumed. When {@link #earliestOffset()} is known, the read
 * may continue from there (the data in between is gone: account for it, or rebuild from the stream's
 * latest snapshot, which is where a snapshotted stream starts); otherwise restart from {@code -1} or
 * {@code now}. Reads of restartable streams continue from the earliest offset by themselves, marking
 * the gap with a {@link Chunk#reset()} chunk (see {@link ReadOptions.Builder#onReset(ResetHandler)}).
 */
public final class OffsetGoneException extends DurableStreamException {
    private final String earliestOffset;
    private final boolean restartable;

    OffsetGoneException(String message, int status, URI url, Throwable cause) {
        this(message, status, url, cause, null, false);
    }

    OffsetGoneException(String message, int status, URI url, Throwable cause, String earliestOffset, boolean restartable) {
        super(message, status, url, cause);
        this.earliestOffset = earliestOffset;
        this.restartable = restartable;
    }

    /**
     * The first offset the stream still serves ({@code Stream-Earliest-Offset}) when retention reclaimed
     * the requested one; {@code null} for a soft-deleted stream or a server without the retention extension.
     */
    public String earliestOffset() {
        return earliestOffset;
    }

    /** Whether the data was reclaimed by retention (rather than the stream being deleted). */
    public boolean reclaimed() {
        return earliestOffset != null;
    }

    /** Whether the stream was created restartable: its readers may continue from the earliest offset on their own. */
    public boolean restartable() {
        return restartable;
    }
}
