package io.durablestreams.client;

/**
 * Stream metadata from {@code HEAD} (§5.5).
 *
 * @param nextOffset the tail offset: where the next append will land
 * @param contentType the stream's content type exactly as the server reports it
 * @param closed whether the stream is closed (EOF at {@code nextOffset})
 * @param ttlSeconds the sliding TTL, or {@code null} if none
 * @param expiresAt the absolute expiry (RFC 3339), or {@code null} if none
 * @param incarnation the stream's incarnation ({@code Stream-Incarnation}), or {@code null} for servers
 *                    without the stream-incarnations extension
 * @param restartable whether the stream was created restartable ({@code Stream-Restartable})
 * @param earliestOffset the first offset the stream still serves ({@code Stream-Earliest-Offset}, retention
 *                       extension), or {@code null} for servers without it
 * @param retentionAgeSeconds the stream's retention by age, or {@code null}
 * @param retentionBytes the stream's retention by size, or {@code null}
 */
public record StreamInfo(String nextOffset, String contentType, boolean closed, Long ttlSeconds, String expiresAt,
                         String incarnation, boolean restartable, String earliestOffset, Long retentionAgeSeconds,
                         Long retentionBytes) {

    /** Metadata of a server without the stream-incarnations extension. */
    public StreamInfo(String nextOffset, String contentType, boolean closed, Long ttlSeconds, String expiresAt) {
        this(nextOffset, contentType, closed, ttlSeconds, expiresAt, null, false, null, null, null);
    }

    /** Whether the stream is in JSON mode (§9.1). */
    public boolean isJson() {
        return ProtocolHeaders.isJson(contentType);
    }
}
