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
 */
public record StreamInfo(String nextOffset, String contentType, boolean closed, Long ttlSeconds, String expiresAt,
                         String incarnation, boolean restartable) {

    /** Metadata of a server without the stream-incarnations extension. */
    public StreamInfo(String nextOffset, String contentType, boolean closed, Long ttlSeconds, String expiresAt) {
        this(nextOffset, contentType, closed, ttlSeconds, expiresAt, null, false);
    }

    /** Whether the stream is in JSON mode (§9.1). */
    public boolean isJson() {
        return ProtocolHeaders.isJson(contentType);
    }
}
