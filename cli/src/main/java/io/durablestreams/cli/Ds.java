package io.durablestreams.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ds} command: the server and (later) client tools in one executable. */
@Command(name = "ds", mixinStandardHelpOptions = true, version = "ds 0.1.0",
        description = "Durable Streams: durable, resumable, append-only byte streams over HTTP.",
        subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class Ds implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Ds())
                .registerConverter(java.time.Duration.class, Durations::parse)
                .execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
