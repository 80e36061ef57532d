package io.durablestreams.engine;

import io.durablestreams.engine.http.LiveContext;
import io.durablestreams.engine.http.SseBody;
import io.durablestreams.engine.http.SseSink;
import io.durablestreams.engine.live.Waiter;
import io.durablestreams.protocol.Cursor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One SSE response (PROTOCOL.md §5.8): data events, each followed by a control event; waits for
 * appends without holding a thread; writes only while the connection is writable; ends with
 * {@code streamClosed} at EOF, or after the reconnect interval so clients come back through the
 * CDN. All methods run on the connection's executor.
 */
final class SseSession implements SseBody, Waiter {
    private static final byte[] EVENT_DATA = "event: data\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_CONTROL = "event: control\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_PREFIX = "data:".getBytes(StandardCharsets.US_ASCII);

    private final EngineConfig config;
    private final StreamState s;
    private final String clientCursor;
    private final Cursor cursor;
    private final LiveContext live;
    private final boolean base64;
    private final java.util.function.LongSupplier clock;
    private final java.util.function.BooleanSupplier shuttingDown;
    private long position;
    private SseSink sink;
    private boolean waiting;
    private boolean finished;
    private boolean sentControl;
    private Runnable cancelKeepAlive;
    /** Events are framed here and handed to the connection as one write per flush. */
    private java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream(256);
    /** A buffer grown past this by a large event is dropped after use so idle sessions stay small. */
    private static final int RETAINED_BUFFER_BYTES = 4096;
    private Runnable cancelLifetime;

    SseSession(EngineConfig config, StreamState s, long position, String clientCursor, Cursor cursor,
               LiveContext live, java.util.function.LongSupplier clock, java.util.function.BooleanSupplier shuttingDown) {
        this.shuttingDown = shuttingDown;
        this.config = config;
        this.clock = clock;
        this.s = s;
        this.position = position;
        this.clientCursor = clientCursor;
        this.cursor = cursor;
        this.live = live;
        this.base64 = ReadHandler.base64(s);
    }

    @Override
    public void start(SseSink sink) {
        this.sink = sink;
        sink.onClose(this::finish);
        cancelLifetime = live.schedule(this::endOfLifetime, config.sseReconnectMillis());
        pump();
    }

    private void pump() {
        while (!finished) {
            // a session that fell behind the retained start ends; its reconnect is answered 410 offset-reclaimed
            if (!sink.isOpen() || s.removed || s.softDeleted || position < s.retainedStart || shuttingDown.getAsBoolean()) {
                finish();
                return;
            }
            if (!sink.isWritable()) {
                flush();
                sink.onWritable(this::pump);
                return;
            }
            boolean closed = s.closeVisible;
            long tail = s.visibleTail;
            if (position < tail) {
                StreamState.SseFrame frame;
                try {
                    frame = dataEvent(tail);
                } catch (io.durablestreams.engine.store.DataNotLoaded n) {
                    // a shared store is loading the data: go on once it is in memory
                    flush();
                    n.until.whenComplete((v, e) -> live.executor().execute(e == null ? this::pump : this::finish));
                    return;
                }
                flushPending();
                sink.write(ByteBuffer.wrap(frame.event()).asReadOnlyBuffer());
                position = frame.end();
                boolean atEnd = position == tail;
                writeControl(atEnd, closed && atEnd);
                if (closed && atEnd) {
                    finish();
                    return;
                }
                continue;
            }
            if (closed) {
                writeControl(true, true);
                finish();
                return;
            }
            if (!sentControl) {
                writeControl(true, false);
            }
            flush();
            if (s.addWaiter(this, tail)) {
                if (shuttingDown.getAsBoolean()) {
                    s.removeWaiter(this);
                    finish();
                    return;
                }
                waiting = true;
                s.touch(clock.getAsLong());
                cancelKeepAlive = live.schedule(this::keepAlive, config.longPollTimeoutMillis());
                return;
            }
        }
    }

    @Override
    public void wake() {
        live.executor().execute(() -> {
            if (waiting) {
                waiting = false;
                cancelKeepAlive.run();
                pump();
            }
        });
    }

    /** A control event while idle keeps intermediaries from timing out the connection. */
    private void keepAlive() {
        if (!waiting || finished) {
            return;
        }
        s.removeWaiter(this);
        waiting = false;
        writeControl(true, false);
        pump();
    }

    private void endOfLifetime() {
        flush();
        finish();
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (waiting) {
            s.removeWaiter(this);
            cancelKeepAlive.run();
        }
        if (cancelLifetime != null) {
            cancelLifetime.run();
        }
        if (sink.isOpen()) {
            flush();
        }
        sink.close();
    }

    /**
     * The data event at {@link #position}: framed once per stream and position, then shared by every
     * session that reaches it (a fan-out to thousands of readers frames each append once).
     */
    private StreamState.SseFrame dataEvent(long tail) {
        StreamState.SseFrame cached = s.lastSseFrame;
        if (cached != null && cached.from() == position && cached.end() <= tail) {
            return cached;
        }
        ChainReader.Slice slice = ChainReader.read(s, position, tail, config.sseEventBytes(), true);
        StreamState.SseFrame frame = new StreamState.SseFrame(position, slice.end(), frame(slice));
        s.lastSseFrame = frame;
        return frame;
    }

    /** Sends what was framed since the last flush as one write. */
    private void flush() {
        flushPending();
        sink.flush();
    }

    private void flushPending() {
        if (pending.size() > 0) {
            sink.write(ByteBuffer.wrap(pending.toByteArray()));
            if (pending.size() > RETAINED_BUFFER_BYTES) {
                pending = new java.io.ByteArrayOutputStream(256);
            } else {
                pending.reset();
            }
        }
    }

    /** A complete data event for the slice (event line, data lines, blank line). */
    private byte[] frame(ChainReader.Slice slice) {
        byte[] payload = s.json
                ? ChainReader.bytes(ReadHandler.jsonArray(slice.parts()))
                : ChainReader.bytes(slice.parts());
        java.io.ByteArrayOutputStream event = new java.io.ByteArrayOutputStream(payload.length + 32);
        event.writeBytes(EVENT_DATA);
        if (base64) {
            writeLine(event, Base64.getEncoder().encode(payload), 0, -1);
        } else {
            writeLines(event, payload);
        }
        event.write('\n');
        return event.toByteArray();
    }

    /**
     * Writes text as "data:" lines, breaking at CR, LF and CRLF – the SSE line terminators – so
     * no payload can end the event or forge another one. A client joins the lines with LF.
     */
    private static void writeLines(java.io.ByteArrayOutputStream out, byte[] text) {
        int start = 0;
        for (int i = 0; i < text.length; i++) {
            byte b = text[i];
            if (b == '\n' || b == '\r') {
                writeLine(out, text, start, i);
                if (b == '\r' && i + 1 < text.length && text[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        writeLine(out, text, start, text.length);
    }

    /** "data:" + line; a line starting with a space gets one more, since parsers strip one. */
    private static void writeLine(java.io.ByteArrayOutputStream out, byte[] bytes, int from, int to) {
        int end = to < 0 ? bytes.length : to;
        out.writeBytes(DATA_PREFIX);
        if (end > from && bytes[from] == ' ') {
            out.write(' ');
        }
        out.write(bytes, from, end - from);
        out.write('\n');
    }

    private void writeControl(boolean upToDate, boolean closed) {
        sentControl = true;
        StringBuilder json = new StringBuilder(128).append("{\"streamNextOffset\":\"")
                .append(s.offsetOf(position)).append('"');
        if (closed) {
            json.append(",\"streamClosed\":true,\"upToDate\":true");
        } else {
            json.append(",\"streamCursor\":\"").append(cursor.next(clientCursor)).append('"');
            if (upToDate) {
                json.append(",\"upToDate\":true");
            }
        }
        json.append('}');
        pending.writeBytes(EVENT_CONTROL);
        byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
        writeLine(pending, body, 0, -1);
        pending.write('\n');
        flush();
    }
}
