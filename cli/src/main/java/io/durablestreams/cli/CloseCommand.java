package io.durablestreams.cli;

import io.durablestreams.client.AppendResult;
import io.durablestreams.client.DurableStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ds close}: closes a stream, optionally appending final data in the same request. */
@Command(name = "close", mixinStandardHelpOptions = true,
        description = {"Close a stream: readers reach EOF, writes fail (exit 3).",
                "",
                "Closing a closed stream succeeds. With DATA, appends it and closes in one atomic request "
                        + "(each argument one message on a JSON stream, else joined with spaces); that form fails "
                        + "with exit 3 if the stream is already closed.",
                ""})
final class CloseCommand extends StreamCommand {
    @Parameters(index = "0", paramLabel = "STREAM", description = "Stream name (under /v1/stream/) or full stream URL.")
    String name;

    @Parameters(index = "1..*", paramLabel = "DATA", description = "Final data to append before closing.")
    List<String> data;

    @Override
    public Integer call() {
        DurableStream stream = stream(name);
        AppendResult result = data == null || data.isEmpty() ? stream.close() : stream.close(finalData(stream));
        io().err().println("closed " + stream.url() + " at offset " + result.nextOffset());
        return ExitCode.OK;
    }

    private byte[] finalData(DurableStream stream) {
        if (!isJson(stream.head().contentType())) {
            return String.join(" ", data).getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < data.size(); i++) {
            Json.requireValue(data.get(i).getBytes(StandardCharsets.UTF_8), "argument " + (i + 1));
            array.append(i == 0 ? "" : ",").append(data.get(i));
        }
        return array.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }
}
