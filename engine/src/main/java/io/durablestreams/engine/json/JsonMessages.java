package io.durablestreams.engine.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Splits a JSON request body into stored messages (PROTOCOL.md §9.1): a top-level array is
 * flattened one level, anything else is one message. Each message is re-serialized compactly and
 * followed by a comma, so a read of any run of messages is {@code '[' + bytes minus the last comma
 * + ']'} without parsing. Numbers are written the way JavaScript's {@code JSON.stringify} would.
 *
 * <p>Thread-safe: the factory is shared, parsers and generators are per call.
 */
public final class JsonMessages {
    private static final int MAX_NESTING_DEPTH = 512;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            // keep characters outside the BMP (emoji) as UTF-8 rather than \\uXXXX surrogate escapes
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private JsonMessages() {}

    /** The result of splitting: stored bytes and relative message ends. */
    public record Split(byte[] data, int[] messageEnds) {
        public int count() {
            return messageEnds.length;
        }
    }

    /** Thrown for a body that is not exactly one valid JSON value. */
    public static final class InvalidJsonException extends Exception {
        public InvalidJsonException(String message) {
            super(message, null, false, false);
        }
    }

    public static Split split(byte[] body) throws InvalidJsonException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 16);
        int[] ends = new int[4];
        int count = 0;
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new InvalidJsonException("body is not JSON");
            }
            if (first == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    copyValue(p, out);
                    if (count == ends.length) {
                        ends = java.util.Arrays.copyOf(ends, count * 2);
                    }
                    ends[count++] = out.size();
                }
            } else {
                copyValue(p, out);
                ends[count++] = out.size();
            }
            if (p.nextToken() != null) {
                throw new InvalidJsonException("trailing data after the JSON value");
            }
        } catch (IOException e) {
            throw new InvalidJsonException("invalid JSON: " + firstLine(e.getMessage()));
        }
        return new Split(out.toByteArray(), java.util.Arrays.copyOf(ends, count));
    }

    private static void copyValue(JsonParser p, ByteArrayOutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            copy(p, g);
        }
        out.write(',');
    }

    private static void copy(JsonParser p, JsonGenerator g) throws IOException {
        int depth = 0;
        do {
            JsonToken t = p.currentToken();
            switch (t) {
                case START_OBJECT -> { g.writeStartObject(); depth++; }
                case START_ARRAY -> { g.writeStartArray(); depth++; }
                case END_OBJECT -> { g.writeEndObject(); depth--; }
                case END_ARRAY -> { g.writeEndArray(); depth--; }
                case FIELD_NAME -> g.writeFieldName(p.currentName());
                case VALUE_STRING -> g.writeString(p.getText());
                case VALUE_NUMBER_INT -> g.writeNumber(p.getText());
                case VALUE_NUMBER_FLOAT -> g.writeNumber(jsNumber(p.getText()));
                case VALUE_TRUE -> g.writeBoolean(true);
                case VALUE_FALSE -> g.writeBoolean(false);
                case VALUE_NULL -> g.writeNull();
                default -> throw new IOException("unexpected token " + t);
            }
        } while (depth > 0 && p.nextToken() != null);
        if (depth != 0) {
            throw new IOException("unterminated JSON value");
        }
    }

    /** Formats a JSON number literal with a fraction or exponent as JavaScript would print it. */
    static String jsNumber(String literal) throws IOException {
        double d = Double.parseDouble(literal);
        if (Double.isInfinite(d)) {
            throw new IOException("number out of range: " + literal);
        }
        if (d == 0) {
            return "0";
        }
        BigDecimal v = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        double abs = Math.abs(d);
        if (abs >= 1e-6 && abs < 1e21) {
            return v.toPlainString();
        }
        String digits = v.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - v.scale();
        StringBuilder sb = new StringBuilder();
        if (d < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        return sb.append('e').append(exponent >= 0 ? "+" : "-").append(Math.abs(exponent)).toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed";
        }
        int nl = s.indexOf('\n');
        return nl >= 0 ? s.substring(0, nl) : s;
    }
}
