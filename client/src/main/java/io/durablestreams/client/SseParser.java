package io.durablestreams.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental parser of the {@code text/event-stream} format, exactly as the HTML Living Standard's
 * "event stream interpretation" describes it. It knows nothing of HTTP: feed it bytes in any split,
 * and it calls the {@link Listener} once per dispatched event.
 *
 * <p>Lines end only at CR, LF or CRLF (also when the CR and LF arrive in different {@link #feed} calls);
 * U+0085, U+2028 and U+2029 are ordinary data. A leading UTF-8 byte order mark is skipped. Exactly one
 * space after the field's colon is removed. {@code data} lines of one event are joined with {@code \n}.
 * An event with no {@code data} line is not dispatched; an incomplete event at end of input is
 * discarded. Invalid UTF-8 decodes to U+FFFD.
 *
 * <p>Not thread-safe: one instance per connection, fed from one thread. The listener is called on the
 * feeding thread, before {@link #feed} returns.
 */
public final class SseParser {

    /** Receives parsed events. Called synchronously from {@link SseParser#feed}; must not block for long. */
    public interface Listener {
        /**
         * One dispatched event.
         *
         * @param type the {@code event} field, or {@code "message"} when absent or empty
         * @param data the {@code data} lines joined with {@code \n}
         * @param lastEventId the last {@code id} seen on this connection (empty when none)
         */
        void onEvent(String type, String data, String lastEventId);

        /** A valid {@code retry} field, in milliseconds. The default ignores it. */
        default void onRetry(long retryMs) {
        }
    }

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final Listener listener;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean lastWasCr;
    private int bomBytesChecked;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String eventType = "";
    private String lastEventId = "";

    /** Creates a parser that reports to {@code listener}. */
    public SseParser(Listener listener) {
        this.listener = listener;
    }

    /** Parses {@code length} bytes of {@code bytes} starting at {@code offset}. */
    public void feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (bomBytesChecked < BOM.length) {
                if (b == BOM[bomBytesChecked] && lineLength == bomBytesChecked) {
                    appendToLine(b);
                    bomBytesChecked++;
                    if (bomBytesChecked == BOM.length) {
                        lineLength = 0;
                    }
                    continue;
                }
                bomBytesChecked = BOM.length;
            }
            if (b == LF && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = b == CR;
            if (b == CR || b == LF) {
                processLine();
            } else {
                appendToLine(b);
            }
        }
    }

    /** Convenience for {@code feed(bytes, 0, bytes.length)}. */
    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    private void appendToLine(byte b) {
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, line.length * 2);
        }
        line[lineLength++] = b;
    }

    private void processLine() {
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        lineLength = 0;
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        if (text.charAt(0) == ':') {
            return;
        }
        int colon = text.indexOf(':');
        String field;
        String value;
        if (colon < 0) {
            field = text;
            value = "";
        } else {
            field = text.substring(0, colon);
            int valueStart = colon + 1;
            if (valueStart < text.length() && text.charAt(valueStart) == ' ') {
                valueStart++;
            }
            value = text.substring(valueStart);
        }
        switch (field) {
            case "event" -> eventType = value;
            case "data" -> {
                data.append(value).append('\n');
                hasData = true;
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    try {
                        listener.onRetry(Long.parseLong(value));
                    } catch (NumberFormatException tooLarge) {
                        // The standard says only "if the value consists of only ASCII digits"; a value
                        // that overflows a long is meaningless as a delay, so it is ignored like junk.
                    }
                }
            }
            default -> {
                // Unknown fields are ignored (event stream interpretation, step "otherwise").
            }
        }
    }

    private void dispatch() {
        if (!hasData) {
            eventType = "";
            return;
        }
        data.setLength(data.length() - 1);
        String type = eventType.isEmpty() ? "message" : eventType;
        String payload = data.toString();
        data.setLength(0);
        hasData = false;
        eventType = "";
        listener.onEvent(type, payload, lastEventId);
    }
}
