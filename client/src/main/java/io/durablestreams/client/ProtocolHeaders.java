package io.durablestreams.client;

/** Header names of the Durable Streams protocol (PROTOCOL.md §5, §13.2), in one place. */
final class ProtocolHeaders {
    static final String CONTENT_TYPE = "Content-Type";
    static final String ACCEPT = "Accept";
    static final String RETRY_AFTER = "Retry-After";
    static final String LOCATION = "Location";
    static final String STREAM_NEXT_OFFSET = "Stream-Next-Offset";
    static final String STREAM_CURSOR = "Stream-Cursor";
    static final String STREAM_UP_TO_DATE = "Stream-Up-To-Date";
    static final String STREAM_CLOSED = "Stream-Closed";
    static final String STREAM_SEQ = "Stream-Seq";
    static final String IF_MATCH = "If-Match";
    static final String STREAM_TTL = "Stream-TTL";
    static final String STREAM_EXPIRES_AT = "Stream-Expires-At";
    static final String STREAM_FORKED_FROM = "Stream-Forked-From";
    static final String STREAM_FORK_OFFSET = "Stream-Fork-Offset";
    static final String STREAM_FORK_SUB_OFFSET = "Stream-Fork-Sub-Offset";
    static final String STREAM_SSE_DATA_ENCODING = "Stream-SSE-Data-Encoding";
    /** Stream-incarnations extension (docs/extensions/stream-incarnations.md). */
    static final String STREAM_INCARNATION = "Stream-Incarnation";
    static final String STREAM_RESTARTABLE = "Stream-Restartable";
    static final String STREAM_RETENTION_AGE = "Stream-Retention-Age";
    static final String STREAM_RETENTION_BYTES = "Stream-Retention-Bytes";
    static final String STREAM_SNAPSHOT = "Stream-Snapshot";
    static final String STREAM_EARLIEST_OFFSET = "Stream-Earliest-Offset";
    static final String PRODUCER_ID = "Producer-Id";
    static final String PRODUCER_EPOCH = "Producer-Epoch";
    static final String PRODUCER_SEQ = "Producer-Seq";
    static final String PRODUCER_EXPECTED_SEQ = "Producer-Expected-Seq";
    static final String PRODUCER_RECEIVED_SEQ = "Producer-Received-Seq";

    static final String OCTET_STREAM = "application/octet-stream";
    static final String EVENT_STREAM = "text/event-stream";

    private ProtocolHeaders() {
    }

    /** §4.1: a {@code Stream-Closed} value means "closed" only when it is exactly {@code true}, any case. */
    static boolean isTrue(String value) {
        return value != null && value.trim().equalsIgnoreCase("true");
    }

    /**
     * The incarnation an offset was minted by: its first 16 digits ({@code <incarnation>_<position>}),
     * or {@code null} for sentinels and offsets of servers without the extension.
     */
    static String incarnationOf(String offset) {
        if (offset == null || offset.length() < 17 || offset.charAt(16) != '_') {
            return null;
        }
        String prefix = offset.substring(0, 16);
        return prefix.chars().allMatch(c -> c >= '0' && c <= '9') ? prefix : null;
    }

    /** §9.1: JSON mode applies to {@code application/json}, with or without parameters. */
    static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("application/json");
    }
}
