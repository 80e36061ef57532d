package io.durablestreams.engine;

/**
 * Limits and timings of the protocol engine.
 *
 * @param longPollTimeoutMillis how long a long-poll waits for data before answering 204
 * @param sseReconnectMillis    how long an SSE response lives before the server ends it so
 *                              clients reconnect through the CDN (PROTOCOL.md §10.2)
 * @param maxAppendBytes        largest accepted request body; larger ones get 413
 * @param readChunkBytes        most body bytes in one catch-up or long-poll response
 * @param sseEventBytes         most data bytes in one SSE data event
 * @param maxStreamNameBytes    longest accepted stream name, in UTF-8 bytes
 * @param immutableStartUrls    answer catch-up reads from the beginning ({@code offset=-1} or none)
 *                              with a 307 to the incarnation's own first offset, whose complete
 *                              chunks are then cacheable as immutable (stream-incarnations extension)
 * @param sweepIntervalMillis   how often expired streams are reclaimed in the background
 * @param defaultRetentionAgeSeconds retention by age of streams whose PUT names none, or null
 *                              (docs/extensions/retention.md)
 * @param defaultRetentionBytes retention by size of streams whose PUT names none, or null
 * @param retentionIntervalMillis how often the retention sweep moves retained starts and frees the
 *                              space below the starts of the previous sweep (so a read that began
 *                              before a start moved finishes on bytes that still exist)
 */
public record EngineConfig(
        long longPollTimeoutMillis,
        long sseReconnectMillis,
        int maxAppendBytes,
        int readChunkBytes,
        int sseEventBytes,
        int maxStreamNameBytes,
        boolean immutableStartUrls,
        long sweepIntervalMillis,
        Long defaultRetentionAgeSeconds,
        Long defaultRetentionBytes,
        long retentionIntervalMillis) {

    /** {@value} */
    public static final long DEFAULT_LONG_POLL_TIMEOUT_MILLIS = 30_000;
    /** {@value} */
    public static final long DEFAULT_SSE_RECONNECT_MILLIS = 60_000;
    /** {@value} */
    public static final int DEFAULT_MAX_APPEND_BYTES = 64 * 1024 * 1024;
    /** {@value} */
    public static final int DEFAULT_READ_CHUNK_BYTES = 1024 * 1024;
    /** {@value} */
    public static final int DEFAULT_SSE_EVENT_BYTES = 64 * 1024;
    /** {@value} */
    public static final int DEFAULT_MAX_STREAM_NAME_BYTES = 1024;
    /** {@value} */
    public static final long DEFAULT_SWEEP_INTERVAL_MILLIS = 60_000;
    /** {@value} */
    public static final long DEFAULT_RETENTION_INTERVAL_MILLIS = 10_000;

    public EngineConfig {
        if (longPollTimeoutMillis <= 0 || sseReconnectMillis <= 0 || maxAppendBytes <= 0
                || readChunkBytes <= 0 || sseEventBytes <= 0 || maxStreamNameBytes <= 0 || sweepIntervalMillis <= 0
                || retentionIntervalMillis <= 0 || defaultRetentionAgeSeconds != null && defaultRetentionAgeSeconds <= 0
                || defaultRetentionBytes != null && defaultRetentionBytes <= 0) {
            throw new IllegalArgumentException("engine limits must be positive");
        }
    }

    public static EngineConfig defaults() {
        return new EngineConfig(DEFAULT_LONG_POLL_TIMEOUT_MILLIS, DEFAULT_SSE_RECONNECT_MILLIS,
                DEFAULT_MAX_APPEND_BYTES, DEFAULT_READ_CHUNK_BYTES, DEFAULT_SSE_EVENT_BYTES,
                DEFAULT_MAX_STREAM_NAME_BYTES, false, DEFAULT_SWEEP_INTERVAL_MILLIS, null, null, DEFAULT_RETENTION_INTERVAL_MILLIS);
    }

    public EngineConfig withLongPollTimeoutMillis(long v) {
        return new EngineConfig(v, sseReconnectMillis, maxAppendBytes, readChunkBytes, sseEventBytes, maxStreamNameBytes, immutableStartUrls, sweepIntervalMillis, defaultRetentionAgeSeconds, defaultRetentionBytes, retentionIntervalMillis);
    }

    public EngineConfig withSseReconnectMillis(long v) {
        return new EngineConfig(longPollTimeoutMillis, v, maxAppendBytes, readChunkBytes, sseEventBytes, maxStreamNameBytes, immutableStartUrls, sweepIntervalMillis, defaultRetentionAgeSeconds, defaultRetentionBytes, retentionIntervalMillis);
    }

    public EngineConfig withMaxAppendBytes(int v) {
        return new EngineConfig(longPollTimeoutMillis, sseReconnectMillis, v, readChunkBytes, sseEventBytes, maxStreamNameBytes, immutableStartUrls, sweepIntervalMillis, defaultRetentionAgeSeconds, defaultRetentionBytes, retentionIntervalMillis);
    }

    public EngineConfig withImmutableStartUrls(boolean v) {
        return new EngineConfig(longPollTimeoutMillis, sseReconnectMillis, maxAppendBytes, readChunkBytes, sseEventBytes, maxStreamNameBytes, v, sweepIntervalMillis, defaultRetentionAgeSeconds, defaultRetentionBytes, retentionIntervalMillis);
    }

    public EngineConfig withReadChunkBytes(int v) {
        return new EngineConfig(longPollTimeoutMillis, sseReconnectMillis, maxAppendBytes, v, sseEventBytes, maxStreamNameBytes, immutableStartUrls, sweepIntervalMillis, defaultRetentionAgeSeconds, defaultRetentionBytes, retentionIntervalMillis);
    }

    /** Server-wide retention policies for streams whose PUT names none (null: none). */
    public EngineConfig withDefaultRetention(Long ageSeconds, Long bytes) {
        return new EngineConfig(longPollTimeoutMillis, sseReconnectMillis, maxAppendBytes, readChunkBytes, sseEventBytes, maxStreamNameBytes, immutableStartUrls, sweepIntervalMillis, ageSeconds, bytes, retentionIntervalMillis);
    }

    public EngineConfig withRetentionIntervalMillis(long v) {
        return new EngineConfig(longPollTimeoutMillis, sseReconnectMillis, maxAppendBytes, readChunkBytes, sseEventBytes, maxStreamNameBytes, immutableStartUrls, sweepIntervalMillis, defaultRetentionAgeSeconds, defaultRetentionBytes, v);
    }
}
