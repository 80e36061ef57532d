package io.durablestreams.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@code ds} in-process the way {@link Ds#main} does, with a given environment and standard input,
 * capturing standard output and error.
 */
final class Cli {
    private final Map<String, String> env = new HashMap<>();
    private boolean stdoutIsTerminal;

    /** A runner whose commands talk to {@code serverUrl} through {@code STREAM_URL}. */
    Cli(String serverUrl) {
        env.put("STREAM_URL", serverUrl);
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Pretend standard output is a terminal (pretty JSON). */
    Cli stdoutIsTerminal() {
        stdoutIsTerminal = true;
        return this;
    }

    Result run(String... args) {
        return run(new ByteArrayInputStream(new byte[0]), args);
    }

    Result runWithInput(String stdin, String... args) {
        return run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    Result run(InputStream stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(stdin, out, err, args);
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs with caller-supplied output streams, for reads that are observed while they run. */
    int run(InputStream stdin, OutputStream out, OutputStream err, String... args) {
        Io io = new Io(stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.copyOf(env), stdoutIsTerminal, false, -1);
        return Ds.execute(io, args);
    }

    record Result(int code, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out() + "\n--- stderr\n" + stderr;
        }
    }
}
