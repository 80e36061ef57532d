package io.durablestreams.cli;

import io.durablestreams.client.DurableStreamException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLHandshakeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code ds} command: the server and the client tools in one executable. */
@Command(name = "ds", mixinStandardHelpOptions = true,
        description = "Durable Streams: durable, resumable, append-only byte streams over HTTP.",
        subcommands = {ServeCommand.class, CreateCommand.class, WriteCommand.class, ReadCommand.class,
                HeadCommand.class, CloseCommand.class, DeleteCommand.class, ForkCommand.class, LsCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"",
                "Every option --NAME also takes its default from the environment variable DS_NAME "
                        + "(dashes become underscores, e.g. --long-poll-timeout -> DS_LONG_POLL_TIMEOUT) "
                        + "or from a config file (--config FILE or DS_CONFIG; 'name = value' lines). "
                        + "Precedence: flag > environment > config file > built-in default. "
                        + "--url and --auth also read STREAM_URL and STREAM_AUTH.",
                "",
                "Example: ds serve & ds create demo --content-type application/json; "
                        + "ds write demo --json '{\"n\":1}'; ds read demo --follow"})
public final class Ds implements Runnable {
    /**
     * What {@code ds --version} and {@code ds SUBCOMMAND --version} print: the version the jar was
     * built as ({@code Implementation-Version}, from the build's project version), or "development
     * build" when run from classes.
     */
    static final String VERSION = "ds " + Objects.requireNonNullElse(Ds.class.getPackage().getImplementationVersion(),
            "(development build)");
    private final Io io;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // Parsed only for --help and validation: ConfigDefaults reads it from the raw arguments, because
    // defaults are applied before picocli parses anything.
    @Option(names = ConfigDefaults.CONFIG_OPTION, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Config file of option defaults, 'name = value' per line (env DS_CONFIG).")
    String config;

    Ds(Io io) {
        this.io = io;
    }

    Io io() {
        return io;
    }

    @Override
    public void run() {
        spec.commandLine().usage(io.out());
    }

    public static void main(String[] args) {
        int code = execute(Io.system(), args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs one {@code ds} invocation against {@code io}; returns the exit code. */
    static int execute(Io io, String[] args) {
        ConfigDefaults defaults;
        try {
            defaults = ConfigDefaults.load(args, io.env());
        } catch (CliException e) {
            io.err().println("ds: " + e.getMessage());
            return e.exitCode();
        }
        CommandLine cl = new CommandLine(new Ds(io))
                .registerConverter(java.time.Duration.class, Durations::parse)
                .setOut(new PrintWriter(io.out(), true))
                .setErr(new PrintWriter(io.err(), true))
                .setExecutionExceptionHandler(Ds::report)
                .setParameterExceptionHandler(Ds::usageError);
        cl.setDefaultValueProvider(defaults);
        configure(cl);
        return cl.execute(args);
    }

    /** Usage errors exit with {@link ExitCode#USAGE}; client commands list their exit codes in --help. */
    private static void configure(CommandLine cl) {
        cl.getCommandSpec().exitCodeOnInvalidInput(ExitCode.USAGE);
        if (cl.getCommandSpec().version().length == 0) {
            cl.getCommandSpec().version(VERSION);
        }
        Object command = cl.getCommandSpec().userObject();
        if (command instanceof Ds || command instanceof StreamCommand) {
            Map<String, String> codes = new LinkedHashMap<>();
            for (String entry : ExitCode.HELP) {
                int colon = entry.indexOf(':');
                codes.put(entry.substring(0, colon), entry.substring(colon + 1));
            }
            cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        }
        cl.getSubcommands().values().forEach(Ds::configure);
    }

    /**
     * A bad flag or argument: one line naming it (with picocli's "did you mean" suggestion when it has
     * one) and where to find the usage, instead of a screenful of help that scrolls the error away.
     */
    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + ex.getMessage());
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
            java.util.List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                err.println(name + ": did you mean " + String.join(" or ", suggestions) + "?");
            }
        }
        err.println("Run '" + name + " --help' for usage.");
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static boolean untrustedCertificate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    /** Failures become one line on stderr and an exit code; a stack trace only for what must be a bug. */
    private static int report(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        String prefix = "ds " + cmd.getCommandName() + ": ";
        int code;
        String message;
        if (ex instanceof CliException e) {
            code = e.exitCode();
            message = e.getMessage();
        } else if (ex instanceof DurableStreamException e) {
            code = ExitCode.of(e);
            message = e.getMessage() + hint(code, e);
        } else if (ex instanceof IOException) {
            code = ExitCode.UNAVAILABLE;
            message = ex.getMessage() != null ? ex.getMessage() : ex.toString();
        } else if (ex instanceof IllegalArgumentException) {
            code = ExitCode.USAGE;
            message = ex.getMessage();
        } else {
            ex.printStackTrace(cmd.getErr());
            code = ExitCode.USAGE;
            message = "internal error: " + ex;
        }
        cmd.getErr().println(prefix + message);
        return code;
    }

    private static String hint(int code, DurableStreamException e) {
        if (code == ExitCode.UNAVAILABLE && untrustedCertificate(e)) {
            return " (the server's certificate is not trusted: --cacert FILE for a self-signed or private-CA server, "
                    + "and the URL's host must be a name in the certificate)";
        }
        return switch (code) {
            case ExitCode.AUTH -> " (check --auth / STREAM_AUTH)";
            case ExitCode.UNAVAILABLE -> " (is the server running? check --url / STREAM_URL)";
            default -> "";
        };
    }
}
