package io.durablestreams.protocol;

import java.util.List;

/**
 * Lower-case names of every header the protocol defines (PROTOCOL.md §5, §13.2), plus the
 * standard HTTP headers the engine reads or writes. HTTP header names are case-insensitive;
 * keeping them lower-case lets HTTP/2 bindings use them verbatim.
 */
public final class ProtocolHeaders {
    private ProtocolHeaders() {}

    public static final String STREAM_TTL = "stream-ttl";
    public static final String STREAM_EXPIRES_AT = "stream-expires-at";
    public static final String STREAM_SEQ = "stream-seq";
    public static final String STREAM_CURSOR = "stream-cursor";
    public static final String STREAM_NEXT_OFFSET = "stream-next-offset";
    public static final String STREAM_UP_TO_DATE = "stream-up-to-date";
    public static final String STREAM_CLOSED = "stream-closed";
    public static final String STREAM_FORKED_FROM = "stream-forked-from";
    public static final String STREAM_FORK_OFFSET = "stream-fork-offset";
    public static final String STREAM_FORK_SUB_OFFSET = "stream-fork-sub-offset";
    public static final String STREAM_SSE_DATA_ENCODING = "stream-sse-data-encoding";
    /** Extension: the incarnation of the stream a response describes, or a write's precondition. */
    public static final String STREAM_INCARNATION = "stream-incarnation";
    /** Extension: on PUT, marks a stream whose readers may restart on their own after a reset. */
    public static final String STREAM_RESTARTABLE = "stream-restartable";
    /** Extension (docs/extensions/retention.md): on PUT, keep only what was appended in the last N seconds. */
    public static final String STREAM_RETENTION_AGE = "stream-retention-age";
    /** Extension: on PUT, keep only (about) the last N bytes of the stream. */
    public static final String STREAM_RETENTION_BYTES = "stream-retention-bytes";
    /** Extension: on POST, marks the append as a snapshot; everything before it may be reclaimed. */
    public static final String STREAM_SNAPSHOT = "stream-snapshot";
    /** Extension: the first offset the stream still serves (HEAD, PUT, a snapshot's POST, the 410 of a reclaimed offset). */
    public static final String STREAM_EARLIEST_OFFSET = "stream-earliest-offset";

    public static final String PRODUCER_ID = "producer-id";
    public static final String PRODUCER_EPOCH = "producer-epoch";
    public static final String PRODUCER_SEQ = "producer-seq";
    public static final String PRODUCER_EXPECTED_SEQ = "producer-expected-seq";
    public static final String PRODUCER_RECEIVED_SEQ = "producer-received-seq";

    public static final String CONTENT_TYPE = "content-type";
    public static final String CACHE_CONTROL = "cache-control";
    public static final String ETAG = "etag";
    public static final String IF_NONE_MATCH = "if-none-match";
    /** A conditional append: the tail (Stream-Next-Offset) the writer requires (docs/extensions/conditional-appends.md). */
    public static final String IF_MATCH = "if-match";
    public static final String LOCATION = "location";
    public static final String RETRY_AFTER = "retry-after";
    public static final String X_ACCEL_BUFFERING = "x-accel-buffering";

    /** Request headers a browser may send; the CORS preflight allows all of them. */
    public static final List<String> REQUEST_HEADERS = List.of(
            CONTENT_TYPE, "authorization", IF_NONE_MATCH, IF_MATCH, STREAM_SEQ, STREAM_TTL, STREAM_EXPIRES_AT,
            STREAM_CLOSED, STREAM_FORKED_FROM, STREAM_FORK_OFFSET, STREAM_FORK_SUB_OFFSET,
            PRODUCER_ID, PRODUCER_EPOCH, PRODUCER_SEQ, STREAM_INCARNATION, STREAM_RESTARTABLE,
            STREAM_RETENTION_AGE, STREAM_RETENTION_BYTES, STREAM_SNAPSHOT);

    /** Response headers a browser script must be able to read (the CORS expose list). */
    public static final List<String> EXPOSED_HEADERS = List.of(
            STREAM_NEXT_OFFSET, STREAM_CURSOR, STREAM_UP_TO_DATE, STREAM_CLOSED, STREAM_TTL,
            STREAM_EXPIRES_AT, STREAM_SEQ, STREAM_FORKED_FROM, STREAM_FORK_OFFSET,
            STREAM_FORK_SUB_OFFSET, STREAM_SSE_DATA_ENCODING, STREAM_INCARNATION, STREAM_RESTARTABLE,
            STREAM_RETENTION_AGE, STREAM_RETENTION_BYTES, STREAM_EARLIEST_OFFSET, PRODUCER_ID, PRODUCER_EPOCH,
            PRODUCER_SEQ, PRODUCER_EXPECTED_SEQ, PRODUCER_RECEIVED_SEQ, ETAG, LOCATION, RETRY_AFTER,
            CONTENT_TYPE, "content-encoding", "vary", "www-authenticate");
}
