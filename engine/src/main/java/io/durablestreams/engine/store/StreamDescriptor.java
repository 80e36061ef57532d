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
 * @param retentionAgeSeconds    keep only what was appended in the last that many seconds, or null
 *                               ({@code Stream-Retention-Age}, retention extension)
 * @param retentionBytes         keep only the last that many bytes (at append granularity), or null
 *                               ({@code Stream-Retention-Bytes})
 * @param initialStart           the first position served at creation: 0, or for a fork the retained
 *                               start its source had then (nothing below it can be read through the fork)
 * @param initialSnapshot        the latest snapshot the stream has at creation (a fork's inherited one), or -1
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
        boolean restartable,
        Long retentionAgeSeconds,
        Long retentionBytes,
        long initialStart,
        long initialSnapshot) {

    /** Whether a retention policy (age or size) applies; snapshots apply to every stream. */
    public boolean hasRetentionPolicy() {
        return retentionAgeSeconds != null || retentionBytes != null;
    }

    public boolean isFork() {
        return sourceName != null;
    }
}
