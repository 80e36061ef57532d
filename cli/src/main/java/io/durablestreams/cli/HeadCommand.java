package io.durablestreams.cli;

import io.durablestreams.client.DurableStream;
import io.durablestreams.client.StreamInfo;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ds head}: prints a stream's metadata. */
@Command(name = "head", mixinStandardHelpOptions = true,
        description = {"Print a stream's metadata (HEAD).",
                "",
                "One 'name value' pair per line: url, content-type, next-offset (the tail), closed, and ttl "
                        + "and expires-at when set.",
                ""})
final class HeadCommand extends StreamCommand {
    @Parameters(index = "0", paramLabel = "STREAM", description = "Stream name (under /v1/stream/) or full stream URL.")
    String name;

    @Override
    public Integer call() {
        DurableStream stream = stream(name);
        StreamInfo info = stream.head();
        PrintStream out = io().out();
        line(out, "url", stream.url().toString());
        line(out, "content-type", info.contentType());
        line(out, "next-offset", info.nextOffset());
        line(out, "closed", Boolean.toString(info.closed()));
        if (info.ttlSeconds() != null) {
            line(out, "ttl", info.ttlSeconds().toString());
        }
        if (info.expiresAt() != null) {
            line(out, "expires-at", info.expiresAt());
        }
        out.flush();
        return ExitCode.OK;
    }

    private static void line(PrintStream out, String name, String value) {
        out.printf("%-13s %s%n", name, value == null ? "" : value);
    }
}
