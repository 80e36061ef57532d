package io.durablestreams.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON checks and re-formatting with Jackson's streaming API: values are copied token by token, never
 * bound to objects, so numbers and strings keep their exact text.
 */
final class Json {
    /** Messages may be as large as an append (64 MiB by default), beyond Jackson's default limits. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private Json() {
    }

    /**
     * Checks that {@code data} is exactly one JSON value.
     *
     * @throws CliException ({@link ExitCode#BAD_DATA}) naming {@code what} and Jackson's location
     */
    static void requireValue(byte[] data, String what) {
        try (JsonParser p = FACTORY.createParser(data)) {
            if (p.nextToken() == null) {
                throw new CliException(ExitCode.BAD_DATA, what + " is empty, expected a JSON value");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new CliException(ExitCode.BAD_DATA, what + " holds more than one JSON value"
                        + " (use one message per line on a JSON stream, or --batch-json with an array)");
            }
        } catch (IOException e) {
            throw invalid(what, e);
        }
    }

    /**
     * The elements of the JSON array {@code data}, each as compact JSON.
     *
     * @throws CliException ({@link ExitCode#BAD_DATA}) if it is not exactly one array
     */
    static List<byte[]> arrayElements(byte[] data, String what) {
        List<byte[]> elements = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(data)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new CliException(ExitCode.BAD_DATA, what + " is not a JSON array (--batch-json sends one array)");
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                elements.add(copy(p, false));
            }
            if (p.nextToken() != null) {
                throw new CliException(ExitCode.BAD_DATA, what + " has data after the JSON array");
            }
        } catch (IOException e) {
            throw invalid(what, e);
        }
        return elements;
    }

    /**
     * Writes each message of a JSON-mode chunk (one array, §9.1) to {@code out}, followed by a newline:
     * compact (NDJSON) or pretty-printed.
     */
    static void writeMessages(byte[] chunk, OutputStream out, boolean pretty) throws IOException {
        try (JsonParser p = FACTORY.createParser(chunk)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new CliException(ExitCode.BAD_DATA, "the server sent a JSON-mode chunk that is not an array");
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                out.write(copy(p, pretty));
                out.write('\n');
            }
        }
    }

    /** The value at the parser's current token, re-serialized; the parser ends on its last token. */
    private static byte[] copy(JsonParser p, boolean pretty) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(buffer, JsonEncoding.UTF8)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            g.copyCurrentStructure(p);
        }
        return buffer.toByteArray();
    }

    private static CliException invalid(String what, IOException e) {
        String detail = e.toString();
        if (e instanceof JsonProcessingException j) {
            detail = j.getOriginalMessage() + (j.getLocation() == null ? ""
                    : " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")");
        }
        return new CliException(ExitCode.BAD_DATA, what + " is not valid JSON: " + detail, e);
    }
}
