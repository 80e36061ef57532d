package io.durablestreams.cli;

import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamsClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Base of the commands that talk to a server: {@code --url}, {@code --auth} and the process's {@link Io}. */
abstract class StreamCommand implements Callable<Integer> {
    @ParentCommand
    Ds parent;

    @Mixin
    ClientOptions connection;

    @Spec
    CommandSpec spec;

    private DurableStreamsClient client;

    Io io() {
        return parent.io();
    }

    /** A handle to {@code nameOrUrl}; all handles of one run share one client. No request is made. */
    DurableStream stream(String nameOrUrl) {
        if (client == null) {
            client = connection.client();
        }
        return connection.stream(client, nameOrUrl);
    }

    /** Whether a content type selects JSON mode (§9.1): {@code application/json}, parameters ignored. */
    static boolean isJson(String contentType) {
        return contentType != null
                && contentType.split(";", 2)[0].trim().equalsIgnoreCase("application/json");
    }
}
