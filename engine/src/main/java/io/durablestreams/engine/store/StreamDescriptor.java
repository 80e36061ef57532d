package io.durablestreams.engine.store;

/**
 * What is fixed when a stream incarnation is created; a durable store keeps it to rebuild the
 * stream after a restart.
 *
 * @param name                   the stream name (an opaque key, any characters)
 * @param incarnation            server-wide unique, increasing id of this creation
 * @param contentType            the stream's content type as stored
 * @param ttlSeconds             effective sliding TTL, or null
 * @param expiresAt              effective absolute expiry (RFC 3339 text), or null
 * @param ttlRequested           TTL the creating request asked for (forks may inherit), or null
 * @param expiresAtRequested     Expires-At the creating request asked for, or null
 * @param createdAtMillis        creation time
 * @param sourceName             fork source name, or null for a plain stream
 * @param sourceIncarnation      fork source incarnation (0 when not a fork)
 * @param forkPosition           where a fork diverges (its first own position); 0 when not a fork
 * @param forkOffsetRequested    the request's Stream-Fork-Offset text, or null
 * @param forkSubOffsetRequested the request's Stream-Fork-Sub-Offset (0 when absent)
 * @param restartable            whether readers may restart on their own after a reset
 *                               ({@code Stream-Restartable}, stream-incarnations extension)
 */
public record StreamDescriptor(
        String name,
        long incarnation,
        String contentType,
        Long ttlSeconds,
        String expiresAt,
        Long ttlRequested,
        String expiresAtRequested,
        long createdAtMillis,
        String sourceName,
        long sourceIncarnation,
        long forkPosition,
        String forkOffsetRequested,
        long forkSubOffsetRequested,
        boolean restartable) {

    public boolean isFork() {
        return sourceName != null;
    }
}
