package io.durablestreams.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A handle to one stream URL: create, inspect, append to, close, delete, fork and read it.
 *
 * <p>Handles are cheap and thread-safe; obtaining one makes no request. A handle remembers the content
 * type it learned from {@link #create}, {@link #head} or {@link #connect} and uses it for appends
 * (default {@code application/octet-stream}).
 *
 * <p>A handle also pins the stream's incarnation (stream-incarnations extension): the
 * {@code Stream-Incarnation} of its {@link #create}, {@link #connect}, fork creation, or — if none of
 * those came first — of its first {@link #head} or write. Every later append, close and delete carries
 * it as a precondition, so a handle never writes into a stream that was deleted and created again
 * under the same URL: such writes fail with {@link IncarnationChangedException} and write nothing.
 * Against servers without the extension nothing is pinned and nothing is sent.
 *
 * <p>All methods block until the server answered (after retries) and throw a
 * {@link DurableStreamException} subclass on failure. The {@code *Async} variants return at once; their
 * future completes with the same result, or exceptionally with the same exception (wrapped in a
 * {@link java.util.concurrent.CompletionException} by {@code join()}), and runs the request on the
 * client's {@linkplain DurableStreamsClient.Builder#executor executor}.
 */
public final class DurableStream {
    private final DurableStreamsClient client;
    private final URI url;
    private volatile String contentType;
    private final AtomicReference<String> incarnation = new AtomicReference<>();

    DurableStream(DurableStreamsClient client, URI url, String contentType) {
        this.client = client;
        this.url = url;
        this.contentType = contentType;
    }

    /** The stream's URL. */
    public URI url() {
        return url;
    }

    /** The content type this handle learned or was created with, or {@code null} if none yet. */
    public String contentType() {
        return contentType;
    }

    /**
     * The pinned incarnation (16 digits) that writes carry as {@code Stream-Incarnation}, or {@code null}
     * if none was learned yet (or the server does not support the extension).
     */
    public String incarnation() {
        return incarnation.get();
    }

    /** Creates an empty, open {@code application/octet-stream} stream; 200 if it already exists alike. */
    public CreateResult create() {
        return create(CreateOptions.newBuilder().build());
    }

    /**
     * Creates the stream (PUT, §5.1). Succeeds with {@code created() == false} if it already exists
     * with the same configuration.
     *
     * @throws StreamConflictException if it exists with a different configuration
     */
    public CreateResult create(CreateOptions options) {
        Request r = new Request(Request.Kind.CREATE, "PUT", url)
                .header(ProtocolHeaders.CONTENT_TYPE, options.contentType())
                .header(ProtocolHeaders.STREAM_TTL, options.ttlSeconds() == null ? null
                        : Long.toString(options.ttlSeconds()))
                .header(ProtocolHeaders.STREAM_EXPIRES_AT, options.expiresAt())
                .header(ProtocolHeaders.STREAM_CLOSED, options.closed() ? "true" : null)
                .header(ProtocolHeaders.STREAM_RESTARTABLE, options.restartable() ? "true" : null)
                .header(ProtocolHeaders.STREAM_RETENTION_AGE, options.retentionAgeSeconds() == null ? null
                        : Long.toString(options.retentionAgeSeconds()))
                .header(ProtocolHeaders.STREAM_RETENTION_BYTES, options.retentionBytes() == null ? null
                        : Long.toString(options.retentionBytes()))
                .headers(options.headers())
                .body(options.body());
        Response response = transport().execute(r);
        contentType = options.contentType();
        // Creating is choosing the stream: whatever this handle pinned before (a deleted incarnation) is over.
        repin(response);
        return new CreateResult(response.status() == 201, response.header(ProtocolHeaders.STREAM_NEXT_OFFSET),
                response.flag(ProtocolHeaders.STREAM_CLOSED));
    }

    /** {@link #create(CreateOptions)} without blocking. */
    public CompletableFuture<CreateResult> createAsync(CreateOptions options) {
        return client.async(() -> create(options));
    }

    /**
     * Creates {@code target} as a fork of this stream (§4.2): it inherits this stream's data up to the
     * fork offset, then lives independently.
     *
     * @throws StreamNotFoundException if this (source) stream does not exist
     * @throws BadRequestException if the fork offset is beyond this stream's tail or malformed
     * @throws StreamConflictException if {@code target} exists with a different configuration
     * @throws StreamResetException if the fork offset belongs to an earlier incarnation of this stream
     */
    public CreateResult fork(DurableStream target, ForkOptions options) {
        Objects.requireNonNull(target, "target");
        Request r = new Request(Request.Kind.CREATE, "PUT", target.url)
                .header(ProtocolHeaders.STREAM_FORKED_FROM, url.getRawPath())
                .header(ProtocolHeaders.STREAM_FORK_OFFSET, options.offset())
                .header(ProtocolHeaders.STREAM_FORK_SUB_OFFSET, options.subOffset() == 0 ? null
                        : Long.toString(options.subOffset()))
                .header(ProtocolHeaders.CONTENT_TYPE, options.contentType())
                .header(ProtocolHeaders.STREAM_TTL, options.ttlSeconds() == null ? null
                        : Long.toString(options.ttlSeconds()))
                .header(ProtocolHeaders.STREAM_EXPIRES_AT, options.expiresAt());
        Response response = transport().execute(r);
        String forkType = response.header(ProtocolHeaders.CONTENT_TYPE);
        target.contentType = forkType != null ? forkType : options.contentType() != null ? options.contentType()
                : contentType;
        target.repin(response);
        return new CreateResult(response.status() == 201, response.header(ProtocolHeaders.STREAM_NEXT_OFFSET),
                response.flag(ProtocolHeaders.STREAM_CLOSED));
    }

    /**
     * Reads the stream's metadata (HEAD, §5.5): tail offset, content type, closure, TTL/expiry.
     *
     * @throws StreamNotFoundException if the stream does not exist
     */
    public StreamInfo head() {
        return head(Map.of());
    }

    /** {@link #head()} with extra headers for this request. */
    public StreamInfo head(Map<String, String> headers) {
        return head(headers, false);
    }

    private StreamInfo head(Map<String, String> headers, boolean repin) {
        Response response = transport().execute(new Request(Request.Kind.HEAD, "HEAD", url).headers(headers));
        String offset = response.header(ProtocolHeaders.STREAM_NEXT_OFFSET);
        if (offset == null || offset.isEmpty()) {
            throw new ParseException("HEAD " + url + " returned no Stream-Next-Offset", response.status(), url,
                    null);
        }
        String type = response.header(ProtocolHeaders.CONTENT_TYPE);
        if (type != null) {
            contentType = type;
        }
        Long ttl = response.longHeader(ProtocolHeaders.STREAM_TTL).isPresent()
                ? response.longHeader(ProtocolHeaders.STREAM_TTL).getAsLong() : null;
        if (repin) {
            repin(response);
        } else {
            pinIfFirst(response);
        }
        return new StreamInfo(offset, type, response.flag(ProtocolHeaders.STREAM_CLOSED), ttl,
                response.header(ProtocolHeaders.STREAM_EXPIRES_AT), response.header(ProtocolHeaders.STREAM_INCARNATION),
                response.flag(ProtocolHeaders.STREAM_RESTARTABLE), response.header(ProtocolHeaders.STREAM_EARLIEST_OFFSET),
                optionalLong(response, ProtocolHeaders.STREAM_RETENTION_AGE), optionalLong(response, ProtocolHeaders.STREAM_RETENTION_BYTES));
    }

    private static Long optionalLong(Response response, String header) {
        return response.longHeader(header).isPresent() ? response.longHeader(header).getAsLong() : null;
    }

    /** {@link #head()} without blocking. */
    public CompletableFuture<StreamInfo> headAsync() {
        return client.async(this::head);
    }

    /**
     * Opens an existing stream without creating it: verifies it exists, learns its content type and pins
     * its current incarnation (replacing any pinned before: this is how a handle moves on to a stream
     * that was recreated, after an {@link IncarnationChangedException}).
     *
     * @throws StreamNotFoundException if the stream does not exist
     */
    public StreamInfo connect() {
        return head(Map.of(), true);
    }

    /** Appends bytes; see {@link #append(byte[], AppendOptions)}. */
    public AppendResult append(byte[] data) {
        return append(data, AppendOptions.DEFAULT);
    }

    /** Appends UTF-8 text; see {@link #append(byte[], AppendOptions)}. */
    public AppendResult append(String text) {
        return append(text.getBytes(StandardCharsets.UTF_8), AppendOptions.DEFAULT);
    }

    /** Appends UTF-8 text with options; see {@link #append(byte[], AppendOptions)}. */
    public AppendResult append(String text, AppendOptions options) {
        return append(text.getBytes(StandardCharsets.UTF_8), options);
    }

    /**
     * Appends bytes (POST, §5.2). On a JSON stream the body must be JSON; a top-level array is
     * flattened into one message per element by the server (§9.1.2).
     *
     * <p>Not idempotent: after a network failure that may have reached the server the append is
     * <em>not</em> retried (unless the client opted in with {@code retryUnsafeAppends}), and a
     * {@link StreamNetworkException} tells you the outcome is unknown. For exactly-once appends use
     * {@link #producer(ProducerOptions)}.
     *
     * @throws StreamClosedException if the stream is closed
     * @throws SequenceConflictException if {@code options.seq()} is not greater than the last one
     * @throws BadRequestException for an empty body or invalid JSON
     * @throws IncarnationChangedException if the stream was recreated since this handle pinned it
     * @throws TailMovedException if {@code options.ifTailAt()} is set and the stream's tail moved
     */
    public AppendResult append(byte[] data, AppendOptions options) {
        Objects.requireNonNull(data, "data");
        Request r = new Request(Request.Kind.APPEND, "POST", url)
                .header(ProtocolHeaders.CONTENT_TYPE, options.contentType() != null ? options.contentType()
                        : effectiveContentType())
                .header(ProtocolHeaders.STREAM_SEQ, options.seq())
                .header(ProtocolHeaders.IF_MATCH, ifMatch(options.ifTailAt()))
                .header(ProtocolHeaders.STREAM_SNAPSHOT, options.snapshot() ? "true" : null)
                .header(ProtocolHeaders.STREAM_INCARNATION, incarnation.get())
                .headers(options.headers())
                .params(options.params())
                .body(data);
        Response response = transport().execute(r);
        pinIfFirst(response);
        return new AppendResult(response.header(ProtocolHeaders.STREAM_NEXT_OFFSET),
                response.flag(ProtocolHeaders.STREAM_CLOSED));
    }

    /** {@link #append(byte[], AppendOptions)} without blocking. */
    public CompletableFuture<AppendResult> appendAsync(byte[] data, AppendOptions options) {
        return client.async(() -> append(data, options));
    }

    /** {@link #append(String)} without blocking. */
    public CompletableFuture<AppendResult> appendAsync(String text) {
        return client.async(() -> append(text));
    }

    /** {@link #appendJson(Object)} without blocking. */
    public CompletableFuture<AppendResult> appendJsonAsync(Object value) {
        return client.async(() -> appendJson(value));
    }

    /**
     * Appends one JSON value to a JSON stream as exactly one message: the value is wrapped in an
     * array, so a value that is itself an array stays one message (§9.1.2). The value is serialized
     * by the client's {@link JsonCodec}: maps, lists and scalars with the built-in one, any object
     * (records, beans) with {@code JacksonJsonCodec}.
     */
    public AppendResult appendJson(Object value) {
        String json = "[" + client.json().stringify(value) + "]";
        return append(json.getBytes(StandardCharsets.UTF_8), AppendOptions.DEFAULT);
    }

    /**
     * Closes the stream (§5.3): readers see EOF once they reach the returned offset. Idempotent.
     *
     * @throws StreamNotFoundException if the stream does not exist
     */
    public AppendResult close() {
        return close(null);
    }

    /** {@link #close()} without blocking. */
    public CompletableFuture<AppendResult> closeAsync() {
        return client.async(() -> close());
    }

    /**
     * Appends {@code finalData} and closes the stream in one atomic step (§5.2). Unlike a plain close
     * this is not idempotent: repeating it on the closed stream fails with {@link StreamClosedException}.
     *
     * @param finalData the last bytes of the stream, or {@code null}/empty to close only
     */
    public AppendResult close(byte[] finalData) {
        return close(finalData, null);
    }

    /**
     * {@link #close(byte[])} only if the stream's tail is still {@code ifTailAt} (a conditional close,
     * docs/extensions/conditional-appends.md); {@code null} closes unconditionally.
     *
     * @throws TailMovedException if the tail moved: nothing was written and the stream stays open
     */
    public AppendResult close(byte[] finalData, String ifTailAt) {
        boolean hasBody = finalData != null && finalData.length > 0;
        Request r = new Request(Request.Kind.CLOSE, "POST", url)
                .header(ProtocolHeaders.STREAM_CLOSED, "true")
                .header(ProtocolHeaders.IF_MATCH, ifMatch(ifTailAt))
                .header(ProtocolHeaders.CONTENT_TYPE, hasBody ? effectiveContentType() : null)
                .header(ProtocolHeaders.STREAM_INCARNATION, incarnation.get())
                .body(hasBody ? finalData : null);
        Response response = transport().execute(r);
        pinIfFirst(response);
        return new AppendResult(response.header(ProtocolHeaders.STREAM_NEXT_OFFSET), true);
    }

    /** A tail as the entity tag {@code If-Match} carries, or null. */
    private static String ifMatch(String tail) {
        return tail == null ? null : '"' + tail + '"';
    }

    /**
     * Deletes the stream and its data (§5.4).
     *
     * @throws StreamNotFoundException if it does not exist
     * @throws IncarnationChangedException if the stream was recreated since this handle pinned it
     */
    public void delete() {
        delete(Map.of());
    }

    /** {@link #delete()} without blocking. */
    public CompletableFuture<Void> deleteAsync() {
        return client.async(() -> {
            delete();
            return null;
        });
    }

    /** {@link #delete()} with extra headers for this request. */
    public void delete(Map<String, String> headers) {
        transport().execute(new Request(Request.Kind.DELETE, "DELETE", url)
                .header(ProtocolHeaders.STREAM_INCARNATION, incarnation.get())
                .headers(headers));
    }

    /** Reads everything from the beginning up to the current tail; see {@link #read(ReadOptions)}. */
    public ReadResponse read() {
        return read(ReadOptions.newBuilder().build());
    }

    /**
     * Starts a read (§5.6–§5.8). The first request is made before this method returns, so a missing
     * stream or a bad offset fails here; the returned response is then consumed once, in the way that
     * suits the caller (all at once, iterator, {@link java.util.concurrent.Flow.Publisher}, callbacks).
     * Close it to stop a live read and release its connection.
     *
     * @throws StreamNotFoundException if the stream does not exist
     * @throws InvalidOffsetException if the offset is malformed
     * @throws StreamResetException if the offset belongs to an earlier incarnation of the stream and the
     *         read does not restart (see {@link ReadOptions.Builder#onReset(ResetHandler)})
     */
    public ReadResponse read(ReadOptions options) {
        ReadSession session = new ReadSession(transport(), url, options);
        session.start();
        if (session.contentType() != null) {
            contentType = session.contentType();
        }
        return new ReadResponse(session, client.json());
    }

    /**
     * Creates an idempotent producer for this stream (§5.2.1). Its content type defaults to this
     * handle's. Close it when done.
     */
    public IdempotentProducer producer(ProducerOptions options) {
        return new IdempotentProducer(this, options, client.json());
    }

    private void repin(Response response) {
        String current = response.header(ProtocolHeaders.STREAM_INCARNATION);
        if (current != null) {
            incarnation.set(current);
        }
    }

    private void pinIfFirst(Response response) {
        String current = response.header(ProtocolHeaders.STREAM_INCARNATION);
        if (current != null) {
            incarnation.compareAndSet(null, current);
        }
    }

    Transport transport() {
        return client.transport();
    }

    String effectiveContentType() {
        String type = contentType;
        return type != null ? type : ProtocolHeaders.OCTET_STREAM;
    }

    @Override
    public String toString() {
        return "DurableStream{" + url + "}";
    }
}
