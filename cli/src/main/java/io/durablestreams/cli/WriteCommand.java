package io.durablestreams.cli;

import io.durablestreams.client.DurableStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code ds write}: appends arguments or standard input to a stream. */
@Command(name = "write", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Append data to a stream (POST).",
                "",
                "Without DATA, standard input is streamed, never held in memory as a whole: on a JSON stream "
                        + "one JSON message per line (NDJSON, blank lines skipped), on other streams bytes in "
                        + "chunks of up to --chunk-bytes, sent as they arrive. With DATA, each argument is one "
                        + "message on a JSON stream; on other streams the arguments are joined with spaces "
                        + "(no newline is added). --json and --batch-json read the whole input as one JSON value.",
                "",
                "Plain writes are at-most-once: a request that fails in flight is not retried. With "
                        + "--producer-id they are exactly-once: each item is sent as its own numbered batch, so "
                        + "re-running the same command with the same producer id, epoch and input appends "
                        + "nothing twice (binary input is then cut into chunks of exactly --chunk-bytes). Items "
                        + "the server already held from an earlier run with that id and epoch are not appended; "
                        + "a warning on stderr counts them, and the exit code stays 0. With --auto-claim every "
                        + "run appends its whole input in a fresh epoch instead.",
                ""})
final class WriteCommand extends StreamCommand {
    @Parameters(index = "0", paramLabel = "STREAM", description = "Stream name (under /v1/stream/) or full stream URL.")
    String name;

    @Parameters(index = "1..*", paramLabel = "DATA", description = "Data to append; default: standard input.")
    List<String> data;

    @Option(names = "--json", description = "The input is one JSON value, appended as exactly one message "
            + "(an array stays one message).")
    boolean json;

    @Option(names = "--batch-json", description = "The input is one JSON array; each element becomes one message, "
            + "all appended atomically.")
    boolean batchJson;

    @Option(names = {"-t", "--content-type"}, paramLabel = "TYPE", description = "Content type of the appends; "
            + "default: application/json with --json/--batch-json, else the stream's (one HEAD request).")
    String contentType;

    @Option(names = "--producer-id", paramLabel = "ID", description = "Write exactly-once as this idempotent producer.")
    String producerId;

    @Option(names = "--epoch", paramLabel = "N", defaultValue = "0", description = "Producer epoch; bump it when a "
            + "new instance takes over the producer id (default: ${DEFAULT-VALUE}).")
    long epoch;

    @Option(names = "--auto-claim", description = "Claim the next epoch instead of failing or skipping when the epoch "
            + "is taken: fenced by a newer epoch, or already used by an earlier run; the whole input is then "
            + "appended (for producers that keep no epoch of their own).")
    boolean autoClaim;

    @Option(names = "--chunk-bytes", paramLabel = "BYTES", defaultValue = "65536", description = "Largest request "
            + "body when streaming binary or text input, and largest batch of JSON lines (default: ${DEFAULT-VALUE}).")
    int chunkBytes;

    @Option(names = "--print-offset", description = "Print the stream's tail offset after the write to stderr.")
    boolean printOffset;

    @Option(names = "--if-tail", paramLabel = "OFFSET", description = "Append only if the stream's tail is still "
            + "OFFSET (its Stream-Next-Offset, e.g. from --print-offset or ds head); otherwise nothing is written "
            + "and the command fails with exit code 3 (docs/extensions/conditional-appends.md).")
    String ifTail;

    @Option(names = "--snapshot", description = "Mark the write as a snapshot (docs/extensions/retention.md): it stands "
            + "for everything before it, so the server may drop what precedes it and readers from the beginning start "
            + "at it. A write of several requests marks its first; not with --producer-id.")
    boolean snapshot;

    @Override
    public Integer call() throws IOException {
        if (json && batchJson) {
            throw new ParameterException(spec.commandLine(), "--json and --batch-json are mutually exclusive");
        }
        if (ifTail != null && producerId != null) {
            throw new ParameterException(spec.commandLine(), "--if-tail and --producer-id are mutually exclusive");
        }
        if (snapshot && producerId != null) {
            throw new ParameterException(spec.commandLine(), "--snapshot and --producer-id are mutually exclusive");
        }
        if (chunkBytes < 1) {
            throw new CliException(ExitCode.USAGE, "--chunk-bytes must be positive, was " + chunkBytes);
        }
        Io io = io();
        DurableStream stream = stream(name);
        String type = contentType != null ? contentType
                : json || batchJson ? "application/json" : stream.head().contentType();
        boolean jsonStream = isJson(type);
        boolean fromStdin = data == null || data.isEmpty();
        InputStream in = fromStdin ? io.in() : new ByteArrayInputStream(String.join(
                jsonStream && !json && !batchJson ? "\n" : " ", data).getBytes(StandardCharsets.UTF_8));
        String offset;
        try (WriteTarget target = producerId != null
                ? new ProducerWriteTarget(stream, type, producerId, epoch, autoClaim, batchJson, io.err())
                : new PlainWriteTarget(stream, type, jsonStream, chunkBytes, ifTail, snapshot);
             Progress progress = fromStdin ? Progress.on(io, "write", io.inBytes()) : Progress.NONE) {
            if (json) {
                byte[] value = in.readAllBytes();
                Json.requireValue(value, "the input");
                target.add(value);
            } else if (batchJson) {
                target.addAtomically(Json.arrayElements(in.readAllBytes(), "the input"));
            } else if (jsonStream) {
                writeLines(in, fromStdin ? "line " : "argument ", target, progress);
            } else {
                writeChunks(in, target, progress);
            }
            offset = target.finish();
        }
        if (printOffset && offset != null) {
            io.err().println(offset);
        }
        return ExitCode.OK;
    }

    private static void writeLines(InputStream in, String itemName, WriteTarget target, Progress progress)
            throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int lineNumber = 0;
        for (String line; (line = lines.readLine()) != null; ) {
            lineNumber++;
            byte[] item = line.getBytes(StandardCharsets.UTF_8);
            progress.advance(item.length + 1);
            if (!line.isBlank()) {
                Json.requireValue(item, itemName + lineNumber);
                target.add(item);
            }
            if (!lines.ready()) {
                target.inputIdle();
            }
        }
    }

    private void writeChunks(InputStream in, WriteTarget target, Progress progress) throws IOException {
        byte[] buffer = new byte[chunkBytes];
        while (true) {
            // A producer needs chunk boundaries that depend on the input only (see the class comment);
            // plain writes send whatever has arrived, so a slow pipe is appended as it goes.
            int n = producerId != null ? in.readNBytes(buffer, 0, buffer.length) : in.read(buffer);
            if (n <= 0) {
                break;
            }
            progress.advance(n);
            target.add(Arrays.copyOf(buffer, n));
        }
    }
}
