package io.durablestreams.cli;

import io.durablestreams.client.Chunk;
import io.durablestreams.client.CloseableIterator;
import io.durablestreams.client.LiveMode;
import io.durablestreams.client.Offsets;
import io.durablestreams.client.ReadOptions;
import io.durablestreams.client.ReadResponse;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code ds read}: writes a stream's data to standard output, once or following it live. */
@Command(name = "read", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Read a stream to standard output (GET).",
                "",
                "Without --follow, reads from the offset up to the current tail and exits. With --follow, keeps "
                        + "reading as data is appended and exits 0 when the stream is closed (EOF), or on Ctrl-C.",
                "",
                "Output: raw bytes, as stored (a JSON stream's data arrives as one JSON array per response). "
                        + "For JSON streams, --ndjson prints one compact message per line, and a terminal gets "
                        + "the messages pretty-printed. Resume later with --offset set to what --print-offset "
                        + "printed.",
                ""})
final class ReadCommand extends StreamCommand {
    @Parameters(index = "0", paramLabel = "STREAM", description = "Stream name (under /v1/stream/) or full stream URL.")
    String name;

    @Option(names = {"-o", "--offset"}, paramLabel = "OFFSET", description = "Where to start: an offset from a "
            + "previous read or write, -1 for the beginning, 'now' for the tail (default: -1).")
    String offset;

    @Option(names = "--from-now", description = "Start at the current tail: only data appended from now on "
            + "(same as --offset now).")
    boolean fromNow;

    @Option(names = {"-f", "--follow"}, description = "Keep reading live until the stream is closed.")
    boolean follow;

    @Option(names = "--live", paramLabel = "MODE", defaultValue = "auto", converter = LiveModeConverter.class,
            description = "How --follow waits for data: auto (cacheable catch-up, then long-poll), long-poll, "
                    + "or sse (default: ${DEFAULT-VALUE}).")
    LiveMode live;

    @Option(names = "--ndjson", description = "JSON streams: one compact JSON message per line.")
    boolean ndjson;

    @Option(names = "--print-offset", description = "At the end (also on Ctrl-C) print the offset to resume from "
            + "to stderr, alone on the last line.")
    boolean printOffset;

    @Override
    public Integer call() throws IOException {
        if (fromNow && offset != null && !offset.equals(Offsets.NOW)) {
            throw new ParameterException(spec.commandLine(), "--from-now and --offset are mutually exclusive");
        }
        String start = fromNow ? Offsets.NOW : offset != null ? offset : Offsets.BEGINNING;
        Io io = io();
        ReadOptions options = ReadOptions.newBuilder().offset(start).live(follow ? live : LiveMode.OFF).build();
        try (ReadResponse response = stream(name).read(options)) {
            OffsetPrinter offsetPrinter = new OffsetPrinter(io.err(), start, printOffset);
            try (Progress progress = io.stdoutIsTerminal() ? Progress.NONE : Progress.on(io, "read", -1)) {
                copy(response, io, progress, offsetPrinter);
            } finally {
                offsetPrinter.printNow();
            }
        }
        return ExitCode.OK;
    }

    private void copy(ReadResponse response, Io io, Progress progress, OffsetPrinter offsetPrinter)
            throws IOException {
        boolean json = isJson(response.contentType());
        boolean pretty = json && !ndjson && io.stdoutIsTerminal();
        PrintStream out = io.out();
        try (CloseableIterator<Chunk> chunks = response.chunks()) {
            while (chunks.hasNext()) {
                Chunk chunk = chunks.next();
                if (chunk.isEmpty()) {
                    offsetPrinter.advancedTo(chunk.offset());
                    continue;
                }
                if (json && (ndjson || pretty)) {
                    Json.writeMessages(chunk.data(), out, pretty);
                } else {
                    out.write(chunk.data());
                }
                out.flush();
                if (out.checkError()) {
                    return; // the reader went away, as in 'ds read s --follow | head'
                }
                offsetPrinter.advancedTo(chunk.offset());
                progress.advance(chunk.size());
            }
        }
    }

    /**
     * Prints the resume offset exactly once: when the read ends, or from a shutdown hook when the user
     * interrupts a read (the JVM may halt before the reading thread gets to it). The offset is that of
     * the last chunk written to stdout, so a resumed read neither skips nor repeats data.
     */
    private static final class OffsetPrinter {
        private final PrintStream err;
        private final AtomicBoolean printed = new AtomicBoolean();
        private final Thread hook;
        private volatile String offset;

        OffsetPrinter(PrintStream err, String startOffset, boolean enabled) {
            this.err = err;
            this.offset = startOffset;
            this.hook = enabled ? new Thread(this::print, "ds-read-offset") : null;
            if (!enabled) {
                printed.set(true);
            } else {
                Runtime.getRuntime().addShutdownHook(hook);
            }
        }

        void advancedTo(String newOffset) {
            offset = newOffset;
        }

        void printNow() {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or about to; print() is idempotent
                }
            }
            print();
        }

        private void print() {
            if (printed.compareAndSet(false, true)) {
                err.println(offset);
                err.flush();
            }
        }
    }

    /** {@code auto}, {@code long-poll}, {@code sse} → {@link LiveMode}. */
    static final class LiveModeConverter implements ITypeConverter<LiveMode> {
        @Override
        public LiveMode convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "auto" -> LiveMode.AUTO;
                case "long-poll", "longpoll", "long_poll" -> LiveMode.LONG_POLL;
                case "sse" -> LiveMode.SSE;
                default -> throw new TypeConversionException(
                        "'" + value + "' is not a live mode; use auto, long-poll or sse");
            };
        }
    }
}
