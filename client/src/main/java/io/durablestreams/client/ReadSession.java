package io.durablestreams.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The read state machine behind a {@link ReadResponse}: catch-up requests, then long-poll or SSE, with
 * the position (offset, cursor, up-to-date, closed) it has reached. Pull-based: {@link #next()} blocks
 * until the next chunk and returns {@code null} at the end of the read.
 *
 * <p>Stream incarnations: a {@link StreamResetException} of a restartable stream that the
 * {@link ResetHandler} accepts restarts the read at {@link Offsets#BEGINNING} or {@link Offsets#NOW} and
 * queues an empty chunk flagged {@link Chunk#reset()}; any other reset fails the read. A {@code 307}
 * from {@code offset=-1} to the incarnation's first offset (immutable start URLs) is followed by taking
 * the offset from {@code Location}, so later requests keep the cacheable URL shape.
 *
 * <p>Threads: {@link #next()} is called by one consumer thread at a time; {@link #close()} and the
 * getters may be called from any thread. {@code close()} aborts a blocked {@code next()}, which then
 * returns {@code null}.
 */
final class ReadSession {
    /** An SSE connection shorter than this that delivered no event counts towards the fallback. */
    static final long SHORT_SSE_CONNECTION_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Consecutive short, empty SSE connections after which SSE is considered broken by a proxy. */
    static final int SSE_FALLBACK_THRESHOLD = 3;

    private enum Phase { CATCH_UP, LONG_POLL, SSE, DONE }

    private final Transport transport;
    private final URI url;
    private final ReadOptions options;
    private final LongSupplier nanoClock;
    private final Deque<Chunk> pending = new ArrayDeque<>();
    private final Map<String, String> extraHeaders = new java.util.HashMap<>();
    private final Map<String, String> extraParams = new java.util.HashMap<>();

    private Phase phase;
    private volatile String offset;
    private volatile String cursor;
    private volatile String contentType;
    private volatile String incarnation;
    private volatile boolean upToDate;
    private volatile boolean closed;
    private volatile int firstStatus;
    private volatile int lastStatus;
    private volatile boolean cancelled;
    private final CompletableFuture<String> done = new CompletableFuture<>();
    private final CountDownLatch cancelLatch = new CountDownLatch(1);
    private volatile Call currentCall;
    private volatile SseConnection sse;
    private boolean reportedUpToDate;
    private int shortSseConnections;

    ReadSession(Transport transport, URI url, ReadOptions options) {
        this(transport, url, options, System::nanoTime);
    }

    ReadSession(Transport transport, URI url, ReadOptions options, LongSupplier nanoClock) {
        this.transport = transport;
        this.url = url;
        this.options = options;
        this.nanoClock = nanoClock;
        this.offset = options.offset();
        this.phase = firstPhase(options.offset());
    }

    private Phase firstPhase(String from) {
        boolean fromNow = Offsets.NOW.equals(from);
        return switch (options.live()) {
            case OFF -> Phase.CATCH_UP;
            case AUTO, LONG_POLL -> fromNow ? Phase.LONG_POLL : Phase.CATCH_UP;
            case SSE -> fromNow ? Phase.SSE : Phase.CATCH_UP;
        };
    }

    /**
     * Makes the first request, so that a missing stream or bad offset fails at once. A long-poll from
     * {@code now} is the exception: its first request waits for data, so it is made on first
     * {@link #next()}.
     */
    void start() {
        if (phase != Phase.LONG_POLL) {
            step();
        }
    }

    /** The next chunk, or {@code null} when the read has ended (EOF, catch-up done, or closed). */
    Chunk next() {
        while (true) {
            Chunk c = pending.poll();
            if (c != null) {
                return c;
            }
            if (phase == Phase.DONE || cancelled) {
                done.complete(offset);
                return null;
            }
            try {
                step();
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                throw e;
            }
        }
    }

    private void step() {
        try {
            switch (phase) {
                case CATCH_UP -> catchUpStep();
                case LONG_POLL -> longPollStep();
                case SSE -> sseStep();
                case DONE -> {
                }
            }
        } catch (StreamResetException e) {
            if (cancelled) {
                fail();
                return;
            }
            if (!restart(e)) {
                fail();
                throw e;
            }
        } catch (OffsetGoneException e) {
            if (cancelled) {
                fail();
                return;
            }
            if (!continueAfterReclaim(e)) {
                fail();
                throw e;
            }
        } catch (ReadCancelledException e) {
            if (!cancelled) {
                fail();
                throw e;
            }
            phase = Phase.DONE;
        } catch (DurableStreamException e) {
            fail();
            if (cancelled) {
                return;
            }
            throw e;
        } catch (RuntimeException e) {
            fail();
            if (cancelled) {
                return;
            }
            // Whatever the server sent, the caller gets a typed failure, not an unchecked surprise.
            throw new ParseException("Unexpected failure reading " + url + ": " + e, lastStatus, url, e);
        }
    }

    /**
     * Restarts after a reset if the stream is restartable and the handler agrees. The handler runs
     * here, on the consumer's thread, outside the read's failure translation: what it throws reaches
     * the consumer unchanged.
     */
    private boolean restart(StreamResetException e) {
        if (!e.restartable() || !options.onReset().onReset(e.oldIncarnation(), e.newIncarnation())) {
            return false;
        }
        closeSse();
        String from = options.restartMode() == RestartMode.SOFT ? Offsets.NOW : Offsets.BEGINNING;
        offset = from;
        cursor = null;
        // The new incarnation may have another content type: learn it again.
        contentType = null;
        incarnation = e.newIncarnation();
        upToDate = false;
        closed = false;
        reportedUpToDate = false;
        shortSseConnections = 0;
        phase = firstPhase(from);
        pending.add(new Chunk(new byte[0], from, null, false, false, true));
        return true;
    }

    /**
     * Retention reclaimed the read's offset: a restartable stream's read continues at the earliest
     * retained offset (or {@code now}, {@link RestartMode#SOFT}) if the handler agrees (asked with
     * the stream's incarnation as both old and new: the stream is the same, its beginning is gone),
     * after the same reset marker as a reset.
     */
    private boolean continueAfterReclaim(OffsetGoneException e) {
        if (!e.reclaimed() || !e.restartable()) {
            return false;
        }
        String current = incarnation != null ? incarnation : ProtocolHeaders.incarnationOf(e.earliestOffset());
        if (!options.onReset().onReset(current, current)) {
            return false;
        }
        closeSse();
        String from = options.restartMode() == RestartMode.SOFT ? Offsets.NOW : e.earliestOffset();
        offset = from;
        cursor = null;
        upToDate = false;
        reportedUpToDate = false;
        shortSseConnections = 0;
        phase = firstPhase(from);
        pending.add(new Chunk(new byte[0], from, null, false, false, true));
        return true;
    }

    private void fail() {
        phase = Phase.DONE;
        closeSse();
    }

    /** Aborts the read: in-flight request, open SSE connection, backoff sleep. Idempotent. */
    void close() {
        cancelled = true;
        done.complete(offset);
        cancelLatch.countDown();
        Call call = currentCall;
        if (call != null) {
            call.cancel();
        }
        closeSse();
    }

    String offset() {
        return offset;
    }

    /** Completes with the final offset when the read ends, or exceptionally with what ended it. */
    CompletableFuture<String> done() {
        return done;
    }

    String cursor() {
        return cursor;
    }

    String contentType() {
        return contentType;
    }

    boolean upToDate() {
        return upToDate;
    }

    boolean closed() {
        return closed;
    }

    int firstStatus() {
        return firstStatus;
    }

    int lastStatus() {
        return lastStatus;
    }

    String incarnation() {
        return incarnation;
    }

    boolean isJson() {
        return ProtocolHeaders.isJson(contentType);
    }

    // ---------------------------------------------------------------- catch-up and long-poll

    private void catchUpStep() {
        String before = offset;
        Response r = get(null);
        if (r.status() == 307) {
            followStartRedirect(r, before);
            return;
        }
        byte[] data = r.body();
        absorbHttpPosition(r);
        if (!upToDate && !closed && data.length == 0 && before.equals(offset)) {
            // A server that neither advances nor says "up to date" would make us spin; treat as caught up.
            upToDate = true;
        }
        emit(validate(data));
        if (closed) {
            phase = Phase.DONE;
        } else if (upToDate) {
            phase = switch (options.live()) {
                case OFF -> Phase.DONE;
                case AUTO, LONG_POLL -> Phase.LONG_POLL;
                case SSE -> Phase.SSE;
            };
        }
    }

    /** Takes the incarnation's first offset from the redirect instead of following the URL blindly. */
    private void followStartRedirect(Response r, String before) {
        String location = r.header(ProtocolHeaders.LOCATION);
        String target = location == null ? null : Urls.queryParam(URI.create(location), "offset");
        if (target == null || target.isEmpty() || target.equals(before)) {
            throw new ParseException("GET " + url + " with offset " + before + " redirected to " + location
                    + " without a new offset", r.status(), url, null);
        }
        offset = target;
    }

    private void longPollStep() {
        Response r = get("long-poll");
        absorbHttpPosition(r);
        if (r.status() == 204) {
            upToDate = true;
        }
        emit(validate(r.body()));
        if (closed) {
            phase = Phase.DONE;
        }
    }

    private Response get(String live) {
        Request request = readRequest(live);
        Call call = transport.newCall(request);
        call.inheritExtras(extraHeaders, extraParams);
        currentCall = call;
        if (cancelled) {
            call.cancel();
        }
        try {
            Response r = call.execute();
            recordStatus(r.status());
            learn(r.header(ProtocolHeaders.CONTENT_TYPE), r.header(ProtocolHeaders.STREAM_INCARNATION));
            return r;
        } finally {
            extraHeaders.putAll(call.extraHeaders());
            extraParams.putAll(call.extraParams());
            currentCall = null;
        }
    }

    private void learn(String type, String streamIncarnation) {
        if (type != null && contentType == null) {
            contentType = type;
        }
        if (streamIncarnation != null) {
            incarnation = streamIncarnation;
        }
    }

    private Request readRequest(String live) {
        Request request = new Request(Request.Kind.READ, "GET", url)
                .headers(options.headers())
                .params(options.params())
                .param("offset", offset)
                .param("live", live);
        if (live != null) {
            // §10.1: echo the cursor on live requests so CDNs can collapse them without cache loops.
            request.param("cursor", cursor);
        }
        if ("sse".equals(live)) {
            request.header(ProtocolHeaders.ACCEPT, ProtocolHeaders.EVENT_STREAM);
        }
        return request;
    }

    private void recordStatus(int status) {
        if (firstStatus == 0) {
            firstStatus = status;
        }
        lastStatus = status;
    }

    private void absorbHttpPosition(Response r) {
        String next = r.header(ProtocolHeaders.STREAM_NEXT_OFFSET);
        if (next == null || next.isEmpty()) {
            throw new ParseException("GET " + url + " returned HTTP " + r.status() + " without Stream-Next-Offset",
                    r.status(), url, null);
        }
        offset = next;
        String c = r.header(ProtocolHeaders.STREAM_CURSOR);
        if (c != null) {
            cursor = c;
        }
        closed = r.flag(ProtocolHeaders.STREAM_CLOSED);
        upToDate = closed || r.flag(ProtocolHeaders.STREAM_UP_TO_DATE);
    }

    private void emit(byte[] data) {
        if (data.length > 0 || closed || (upToDate && !reportedUpToDate)) {
            pending.add(new Chunk(data, offset, cursor, upToDate, closed));
        }
        reportedUpToDate = upToDate;
    }

    /**
     * In JSON mode every batch must be a JSON array (§9.1.5); a batch that is not — truncated or
     * corrupted on the way — fails the read instead of being delivered. An empty array carries no data.
     */
    private byte[] validate(byte[] data) {
        if (!isJson() || data.length == 0) {
            return data;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            throw new ParseException("JSON response from " + url + " is not valid UTF-8", lastStatus, url, e);
        }
        Object parsed;
        try {
            parsed = SimpleJsonCodec.INSTANCE.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParseException("Malformed JSON response from " + url + ": " + e.getMessage(), lastStatus, url,
                    e);
        }
        if (!(parsed instanceof List<?> list)) {
            throw new ParseException("JSON response from " + url + " is not an array", lastStatus, url, null);
        }
        return list.isEmpty() ? new byte[0] : data;
    }

    // ---------------------------------------------------------------- SSE

    private void sseStep() {
        SseConnection connection = sse;
        if (connection == null) {
            connection = openSse();
            if (connection == null) {
                return;
            }
        }
        int n;
        try {
            n = connection.body.read(connection.buffer);
        } catch (IOException e) {
            if (cancelled) {
                return;
            }
            n = -1;
        }
        if (n > 0) {
            connection.parser.feed(connection.buffer, 0, n);
            if (closed) {
                // §5.8: never reconnect after streamClosed.
                closeSse();
                phase = Phase.DONE;
            }
            return;
        }
        if (n == 0) {
            return;
        }
        connectionEnded(connection);
    }

    /** The server (or a proxy) ended the SSE connection: reconnect from the last control offset. */
    private void connectionEnded(SseConnection connection) {
        closeSse();
        boolean shortAndEmpty = connection.events == 0
                && nanoClock.getAsLong() - connection.openedNanos < SHORT_SSE_CONNECTION_NANOS;
        if (!shortAndEmpty) {
            shortSseConnections = 0;
            return;
        }
        shortSseConnections++;
        if (shortSseConnections >= SSE_FALLBACK_THRESHOLD && options.sseFallback()) {
            phase = Phase.LONG_POLL;
            return;
        }
        pause(transport.backoff.delayMs(shortSseConnections - 1));
    }

    private SseConnection openSse() {
        Request request = readRequest("sse");
        Call call = transport.newCall(request);
        call.inheritExtras(extraHeaders, extraParams);
        currentCall = call;
        if (cancelled) {
            call.cancel();
        }
        StreamingResponse r;
        try {
            r = call.open();
        } finally {
            extraHeaders.putAll(call.extraHeaders());
            extraParams.putAll(call.extraParams());
            currentCall = null;
        }
        recordStatus(r.status());
        learn(null, r.header(ProtocolHeaders.STREAM_INCARNATION));
        String type = r.header(ProtocolHeaders.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith(ProtocolHeaders.EVENT_STREAM)) {
            closeQuietly(r.body());
            if (options.sseFallback()) {
                phase = Phase.LONG_POLL;
                return null;
            }
            throw new ParseException("SSE request to " + url + " answered with Content-Type " + type, r.status(), url,
                    null);
        }
        boolean base64 = "base64".equalsIgnoreCase(r.header(ProtocolHeaders.STREAM_SSE_DATA_ENCODING));
        SseConnection connection = new SseConnection(r.body(), base64, nanoClock.getAsLong());
        sse = connection;
        if (cancelled) {
            closeSse();
            return null;
        }
        return connection;
    }

    private void pause(long ms) {
        try {
            cancelLatch.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadCancelledException("read of " + url + " interrupted", 0, url, e);
        }
    }

    private void closeSse() {
        SseConnection connection = sse;
        sse = null;
        if (connection != null) {
            closeQuietly(connection.body);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Closing only releases the connection; nothing is left to report.
        }
    }

    /** One open SSE response and the parser state that belongs to it. */
    private final class SseConnection implements SseParser.Listener {
        final InputStream body;
        final boolean base64;
        final long openedNanos;
        final byte[] buffer = new byte[8192];
        final SseParser parser = new SseParser(this);
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        int events;

        SseConnection(InputStream body, boolean base64, long openedNanos) {
            this.body = body;
            this.base64 = base64;
            this.openedNanos = openedNanos;
        }

        @Override
        public void onEvent(String type, String payload, String lastEventId) {
            switch (type) {
                case "data" -> {
                    events++;
                    byte[] bytes = base64 ? decodeBase64(payload) : payload.getBytes(StandardCharsets.UTF_8);
                    data.writeBytes(bytes);
                }
                case "control" -> {
                    events++;
                    onControl(payload);
                }
                default -> {
                    // §5.8 defines only data and control; unknown events are for future extensions.
                }
            }
        }

        private byte[] decodeBase64(String payload) {
            String compact = payload.replace("\n", "").replace("\r", "");
            try {
                return Base64.getDecoder().decode(compact);
            } catch (IllegalArgumentException e) {
                throw new ParseException("Invalid base64 in SSE data event from " + url, 200, url, e);
            }
        }

        private void onControl(String payload) {
            Object parsed;
            try {
                parsed = SimpleJsonCodec.INSTANCE.parse(payload);
            } catch (IllegalArgumentException e) {
                throw new ParseException("Malformed SSE control event from " + url + ": " + e.getMessage(), 200, url,
                        e);
            }
            if (!(parsed instanceof Map<?, ?> control) || !(control.get("streamNextOffset") instanceof String next)
                    || next.isEmpty()) {
                throw new ParseException("SSE control event from " + url + " lacks streamNextOffset: " + payload, 200,
                        url, null);
            }
            offset = next;
            if (control.get("streamCursor") instanceof String c) {
                cursor = c;
            }
            closed = Boolean.TRUE.equals(control.get("streamClosed"));
            upToDate = closed || Boolean.TRUE.equals(control.get("upToDate"));
            byte[] bytes = data.toByteArray();
            data.reset();
            emit(validate(bytes));
        }
    }
}
