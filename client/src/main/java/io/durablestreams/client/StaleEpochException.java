package io.durablestreams.client;

import java.net.URI;

/**
 * An idempotent producer was fenced (HTTP 403, §5.2.1): another instance claimed the same producer id
 * with a higher epoch.
 *
 * <p>What to do: this instance is a zombie and must stop writing. If it is legitimately the new owner
 * (ephemeral producers), create a producer with {@code epoch = currentEpoch() + 1}, or enable
 * {@code autoClaim}, which does exactly that.
 */
public final class StaleEpochException extends DurableStreamException {
    private final long currentEpoch;

    StaleEpochException(String message, int status, URI url, long currentEpoch) {
        super(message, status, url, null);
        this.currentEpoch = currentEpoch;
    }

    /** The epoch the server currently holds for this producer id. */
    public long currentEpoch() {
        return currentEpoch;
    }
}
