package io.durablestreams.engine;

import io.durablestreams.engine.http.LiveContext;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.durablestreams.engine.live.Waiter;
import io.durablestreams.engine.store.DataNotLoaded;
import io.durablestreams.engine.store.FileSlice;
import io.durablestreams.protocol.ContentTypes;
import io.durablestreams.protocol.Cursor;
import io.durablestreams.protocol.Offset;
import io.durablestreams.protocol.ProtocolHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/** GET: catch-up and long-poll reads (PROTOCOL.md §5.6, §5.7, §8, §10); SSE is handed to {@link SseSession}. */
final class ReadHandler {
    static final String CACHEABLE = "public, max-age=60, stale-while-revalidate=300";
    /** A complete chunk at an incarnation-specific offset never changes. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** The redirect to an incarnation's first retained offset changes when the stream is recreated or retention moves its start. */
    static final String START_REDIRECT_CACHE_CONTROL = "public, max-age=5";
    /** Reads at least this long are offered to the transport as file regions: {@value} bytes. */
    static final int ZERO_COPY_MIN_BYTES = 64 * 1024;
    private static final ByteBuffer OPEN_BRACKET = ByteBuffer.wrap(new byte[] {'['}).asReadOnlyBuffer();
    private static final ByteBuffer CLOSE_BRACKET = ByteBuffer.wrap(new byte[] {']'}).asReadOnlyBuffer();
    private static final byte[] EMPTY_ARRAY = "[]".getBytes(StandardCharsets.US_ASCII);

    private final EngineConfig config;
    private final StreamRegistry registry;
    private final LongSupplier clock;
    private final Cursor cursor;

    ReadHandler(EngineConfig config, StreamRegistry registry, LongSupplier clock, Cursor cursor) {
        this.config = config;
        this.registry = registry;
        this.clock = clock;
        this.cursor = cursor;
    }

    private enum Mode { CATCH_UP, LONG_POLL, SSE }

    CompletableFuture<Response> handle(Request req) {
        if (req.paramCount("offset") > 1) {
            throw Problem.badRequest("invalid-offset", "offset may be given only once");
        }
        String offset = req.param("offset");
        if (offset != null && offset.isEmpty()) {
            throw Problem.badRequest("invalid-offset", "offset is empty");
        }
        Mode mode = mode(req.param("live"));
        if (mode != Mode.CATCH_UP && offset == null) {
            throw Problem.badRequest("missing-offset", "live reads require an offset");
        }
        String token = offset == null ? Offset.BEGINNING : offset;
        Offset parsed = null;
        if (!token.equals(Offset.BEGINNING) && !token.equals(Offset.NOW)) {
            parsed = Offset.parse(token);
            if (parsed == null) {
                throw Problem.badRequest("invalid-offset", "offset " + HeaderRules.quoted(token) + " is not an offset of this server");
            }
        }
        StreamState s = registry.require(req.stream());
        s.touch(clock.getAsLong());
        boolean now = token.equals(Offset.NOW);
        // -1 starts at the earliest retained position (0 unless retention reclaimed the beginning)
        long position = now ? s.visibleTail : parsed == null ? s.retainedStart : validPosition(s, parsed);

        return switch (mode) {
            case SSE -> CompletableFuture.completedFuture(sse(req, s, position));
            case LONG_POLL -> longPoll(req, s, position, token);
            case CATCH_UP -> CompletableFuture.completedFuture(now ? nowResponse(s)
                    : parsed == null && config.immutableStartUrls() ? startRedirect(req, s)
                    : catchUp(req, s, position, token, null, parsed != null && parsed.incarnation() != Incarnations.ANY));
        };
    }

    private Response sse(Request req, StreamState s, long position) {
        Response r = Incarnations.tag(new Response(200), s)
                .header(ProtocolHeaders.CONTENT_TYPE, "text/event-stream")
                .header(ProtocolHeaders.CACHE_CONTROL, "no-cache")
                .header(ProtocolHeaders.X_ACCEL_BUFFERING, "no")
                .sse(new SseSession(config, s, position, req.param("cursor"), cursor, req.live(), clock, registry::shuttingDown));
        if (base64(s)) {
            r.header(ProtocolHeaders.STREAM_SSE_DATA_ENCODING, "base64");
        }
        return r;
    }

    private static Mode mode(String live) {
        if (live == null) {
            return Mode.CATCH_UP;
        }
        return switch (live) {
            case "long-poll" -> Mode.LONG_POLL;
            case "sse" -> Mode.SSE;
            default -> throw Problem.badRequest("invalid-live-mode", "live must be long-poll or sse, got " + HeaderRules.quoted(live));
        };
    }

    private static long validPosition(StreamState s, Offset o) {
        long tail = s.visibleTail;
        long pos = Incarnations.position(s, o, tail, "offset");
        Retention.check(s, pos, o);
        if (s.json && pos < tail && !ForkPoints.segment(s, pos, tail).log().isMessageBoundary(pos)) {
            throw Problem.badRequest("invalid-offset", "offset " + o + " is not a message boundary");
        }
        return pos;
    }

    /** 307 from the beginning of the stream to its incarnation's own first (retained) offset. */
    private static Response startRedirect(Request req, StreamState s) {
        StringBuilder url = new StringBuilder(req.baseUrl()).append(Names.encodePath(s.name)).append('?');
        req.query().forEach((k, values) -> {
            if (!k.equals("offset")) {
                values.forEach(v -> url.append(java.net.URLEncoder.encode(k, java.nio.charset.StandardCharsets.UTF_8)).append('=')
                        .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)).append('&'));
            }
        });
        url.append("offset=").append(s.offsetOf(s.retainedStart));
        return Incarnations.tag(new Response(307), s)
                .header(ProtocolHeaders.LOCATION, url.toString())
                .header(ProtocolHeaders.CACHE_CONTROL, START_REDIRECT_CACHE_CONTROL);
    }

    /** {@code offset=now} without live mode: the tail, no data, never cached (§8). */
    private static Response nowResponse(StreamState s) {
        boolean closed = s.closeVisible;
        Response r = Incarnations.tag(new Response(200), s)
                .header(ProtocolHeaders.CONTENT_TYPE, s.contentType)
                .header(ProtocolHeaders.STREAM_NEXT_OFFSET, s.offsetOf(s.visibleTail).toString())
                .header(ProtocolHeaders.STREAM_UP_TO_DATE, "true")
                .header(ProtocolHeaders.CACHE_CONTROL, "no-store");
        if (closed) {
            r.header(ProtocolHeaders.STREAM_CLOSED, "true");
        }
        return s.json ? r.body(List.of(ByteBuffer.wrap(EMPTY_ARRAY))) : r;
    }

    /** A 200 with the data at {@code position} (possibly none); {@code responseCursor} for live reads. */
    private Response catchUp(Request req, StreamState s, long position, String token, String responseCursor,
                             boolean incarnationSpecific) {
        // also for a long-poll woken later: retention may have moved the start past its offset meanwhile
        Retention.check(s, position, token);
        boolean closed = s.closeVisible;
        long tail = s.visibleTail;
        ChainReader.Plan slice = ChainReader.plan(s, position, tail, config.readChunkBytes(), false);
        boolean upToDate = slice.end() == tail;
        boolean eof = closed && upToDate;
        String next = s.offsetOf(slice.end()).toString();
        String etag = "\"" + s.incarnation + ":" + token + ":" + next + (eof ? ":c" : "") + "\"";
        Response r = Incarnations.tag(new Response(200), s)
                .header(ProtocolHeaders.CONTENT_TYPE, s.contentType)
                .header(ProtocolHeaders.STREAM_NEXT_OFFSET, next)
                .header(ProtocolHeaders.ETAG, etag)
                .header(ProtocolHeaders.CACHE_CONTROL, slice.isEmpty() && !eof ? "no-store"
                        : incarnationSpecific && (eof || !upToDate) ? IMMUTABLE : CACHEABLE);
        if (responseCursor != null) {
            r.header(ProtocolHeaders.STREAM_CURSOR, responseCursor);
        }
        if (upToDate) {
            r.header(ProtocolHeaders.STREAM_UP_TO_DATE, "true");
        }
        if (eof) {
            r.header(ProtocolHeaders.STREAM_CLOSED, "true");
        }
        String ifNoneMatch = req.header(ProtocolHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            Response notModified = new Response(304);
            r.headers().forEach(notModified::header);
            notModified.headers().remove(ProtocolHeaders.CONTENT_TYPE);
            return notModified;
        }
        // large runs go out as a file region (sendfile where the transport allows); small ones are
        // cheaper to read through the store's open handles than to open the file for each response
        FileSlice file = !s.json && slice.end() - slice.from() >= ZERO_COPY_MIN_BYTES ? slice.fileSlice() : null;
        if (file != null) {
            return r.file(file);
        }
        List<ByteBuffer> parts = slice.read().parts();
        return r.body(s.json ? jsonArray(parts) : parts);
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals(etag) || c.equals("*") || c.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    /** Stored JSON is "m1,m2,...,mn," – answer "[m1,...,mn]". */
    static List<ByteBuffer> jsonArray(List<ByteBuffer> parts) {
        if (parts.isEmpty()) {
            return List.of(ByteBuffer.wrap(EMPTY_ARRAY));
        }
        List<ByteBuffer> out = new ArrayList<>(parts.size() + 2);
        out.add(OPEN_BRACKET.duplicate());
        for (int i = 0; i < parts.size(); i++) {
            ByteBuffer p = parts.get(i);
            if (i == parts.size() - 1) {
                p = p.duplicate();
                p.limit(p.limit() - 1);
            }
            if (p.hasRemaining()) {
                out.add(p);
            }
        }
        out.add(CLOSE_BRACKET.duplicate());
        return out;
    }

    private CompletableFuture<Response> longPoll(Request req, StreamState s, long position, String token) {
        String clientCursor = req.param("cursor");
        Response immediate = longPollNow(req, s, position, token, clientCursor);
        if (immediate != null) {
            return CompletableFuture.completedFuture(immediate);
        }
        return new LongPoll(req, s, position, token, clientCursor).start();
    }

    /** The answer when no waiting is needed: data, EOF, or the stream gone; else null. */
    private Response longPollNow(Request req, StreamState s, long position, String token, String clientCursor) {
        if (registry.shuttingDown() && position >= s.visibleTail && !s.closeVisible) {
            return noContent(s, position, false, cursor.next(clientCursor));
        }
        if (s.removed) {
            return Problem.notFound(s.name).response();
        }
        if (s.softDeleted) {
            return Problem.gone(s.name).response();
        }
        boolean closed = s.closeVisible;
        long tail = s.visibleTail;
        if (position < tail) {
            return catchUp(req, s, position, token, cursor.next(clientCursor), false);
        }
        if (closed) {
            return noContent(s, position, true, null);
        }
        return null;
    }

    private Response noContent(StreamState s, long position, boolean closed, String responseCursor) {
        Response r = Incarnations.tag(new Response(204), s)
                .header(ProtocolHeaders.STREAM_NEXT_OFFSET, s.offsetOf(position).toString())
                .header(ProtocolHeaders.STREAM_UP_TO_DATE, "true")
                .header(ProtocolHeaders.CACHE_CONTROL, "no-store");
        if (closed) {
            r.header(ProtocolHeaders.STREAM_CLOSED, "true");
        } else {
            r.header(ProtocolHeaders.STREAM_CURSOR, responseCursor);
        }
        return r;
    }

    /** One waiting long-poll: woken by an append, a close or a delete, or by its timer. Runs on the connection's executor. */
    private final class LongPoll implements Waiter {
        private final Request req;
        private final StreamState s;
        private final long position;
        private final String token;
        private final String clientCursor;
        private final LiveContext live;
        private final CompletableFuture<Response> result = new CompletableFuture<>();
        private Runnable cancelTimer;
        private boolean timedOut;

        LongPoll(Request req, StreamState s, long position, String token, String clientCursor) {
            this.req = req;
            this.s = s;
            this.position = position;
            this.token = token;
            this.clientCursor = clientCursor;
            this.live = req.live();
        }

        CompletableFuture<Response> start() {
            live.executor().execute(() -> {
                cancelTimer = live.schedule(this::timeout, config.longPollTimeoutMillis());
                park();
            });
            return result;
        }

        private void park() {
            if (result.isDone()) {
                return;
            }
            try {
                parkOrAnswer();
            } catch (DataNotLoaded n) {
                // a shared store is loading the data to answer with: try again once it is in memory
                n.until.whenComplete((v, e) -> {
                    if (e != null) {
                        finishExceptionally(e);
                    } else {
                        live.executor().execute(this::park);
                    }
                });
            }
        }

        private void parkOrAnswer() {
            if (!timedOut && s.addWaiter(this, position)) {
                if (registry.shuttingDown()) {
                    // registered after shutdown drained the waiters: nobody will wake us
                    s.removeWaiter(this);
                    finish(noContent(s, position, false, cursor.next(clientCursor)));
                }
                return;
            }
            // registration fails only when there is something to answer: data, EOF or a gone stream
            Response now = longPollNow(req, s, position, token, clientCursor);
            finish(now != null ? now : noContent(s, position, false, cursor.next(clientCursor)));
        }

        @Override
        public void wake() {
            live.executor().execute(this::park);
        }

        private void timeout() {
            if (result.isDone()) {
                return;
            }
            s.removeWaiter(this);
            timedOut = true;
            park(); // answers at once: with what arrived, or with 204 now that the timer has fired
        }

        private void finishExceptionally(Throwable e) {
            if (cancelTimer != null) {
                cancelTimer.run();
            }
            result.completeExceptionally(e);
        }

        private void finish(Response r) {
            if (cancelTimer != null) {
                cancelTimer.run();
            }
            s.touch(clock.getAsLong());
            result.complete(r);
        }
    }

    static boolean base64(StreamState s) {
        return !ContentTypes.isSseText(s.contentType);
    }
}
