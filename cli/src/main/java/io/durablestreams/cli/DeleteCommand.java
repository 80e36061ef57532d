package io.durablestreams.cli;

import io.durablestreams.client.DurableStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ds delete}: deletes streams. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {"Delete streams and their data (DELETE).",
                "",
                "Stops at the first stream that cannot be deleted (exit 2 if it does not exist).",
                ""})
final class DeleteCommand extends StreamCommand {
    @Parameters(index = "0..*", arity = "1..*", paramLabel = "STREAM",
            description = "Stream names (under /v1/stream/) or full stream URLs.")
    List<String> names;

    @Override
    public Integer call() {
        for (String name : names) {
            DurableStream stream = stream(name);
            stream.delete();
            io().err().println("deleted " + stream.url());
        }
        return ExitCode.OK;
    }
}
