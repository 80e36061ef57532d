package io.durablestreams.cli;

import io.durablestreams.client.CreateResult;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.ForkOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ds fork}: creates a stream that branches off another one. */
@Command(name = "fork", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Create a stream that branches off another one.",
                "",
                "STREAM is created as a fork of --from: it shares the source's data up to the fork point "
                        + "without copying it, then lives on its own. Content type and expiry are inherited.",
                ""})
final class ForkCommand extends StreamCommand {
    @Parameters(index = "0", paramLabel = "STREAM", description = "Name or URL of the new stream.")
    String name;

    @Option(names = "--from", required = true, paramLabel = "SOURCE", description = "The stream to fork.")
    String source;

    @Option(names = {"-o", "--offset"}, paramLabel = "OFFSET",
            description = "Fork point: an offset of the source (default: its current tail).")
    String offset;

    @Option(names = "--sub-offset", paramLabel = "N", defaultValue = "0", description = "Also inherit N messages "
            + "(JSON streams) or bytes (others) past --offset (default: ${DEFAULT-VALUE}).")
    long subOffset;

    @Override
    public Integer call() {
        ForkOptions.Builder options = ForkOptions.newBuilder().subOffset(subOffset);
        if (offset != null) {
            options.offset(offset);
        }
        DurableStream from = stream(source);
        DurableStream fork = stream(name);
        CreateResult result = from.fork(fork, options.build());
        io().err().println((result.created() ? "forked " : "exists ") + fork.url() + " from " + from.url()
                + (offset != null ? " at " + offset : "") + (subOffset > 0 ? " + " + subOffset : ""));
        return ExitCode.OK;
    }
}
