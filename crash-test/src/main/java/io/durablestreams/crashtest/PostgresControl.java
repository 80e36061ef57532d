package io.durablestreams.crashtest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server that {@code scripts/postgres.sh} runs in a directory, crashed and started
 * again: {@code crash} is {@code pg_ctl stop -m immediate} (every backend killed at once, no
 * checkpoint: recovery replays the WAL, as after a power cut of the database host).
 */
final class PostgresControl {
    /** How long one script call may take: {@value} s. */
    private static final long SCRIPT_TIMEOUT_SECONDS = 120;

    private final Path script;
    private final Path dir;
    private final Path log;

    PostgresControl(Path script, Path dir, Path log) {
        this.script = script;
        this.dir = dir;
        this.log = log;
    }

    void crash() throws IOException, InterruptedException {
        run("crash");
    }

    /** Starts the server again on its port; returns once it accepts connections. */
    void restart() throws IOException, InterruptedException {
        run("restart");
    }

    private void run(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(script.toString(), command, dir.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!p.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(script + " " + command + " did not finish within " + SCRIPT_TIMEOUT_SECONDS + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(script + " " + command + " " + dir + " failed (exit " + p.exitValue() + "); see " + log);
        }
    }
}
