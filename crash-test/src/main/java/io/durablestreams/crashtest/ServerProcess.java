package io.durablestreams.crashtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real server ({@code ds serve}) as a child process. */
final class ServerProcess {
    /** How long a start may take (the launcher may build first): {@value} s. */
    private static final long START_TIMEOUT_SECONDS = 120;
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private final Process process;
    final String baseUrl;

    private ServerProcess(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /** {@code ds serve --store file} on a data directory, with a short long-poll timeout. */
    static ServerProcess startFileStore(Path launcher, Path dataDir, Path logFile) throws IOException, InterruptedException {
        // small segments and a fast retention sweep: segments roll and are freed within a load cycle
        return start(List.of(launcher.toString(), "serve", "--port", "0", "--store", "file",
                "--data-dir", dataDir.toString(), "--long-poll-timeout", "1s", "--segment-bytes", "8192",
                "--retention-interval", "200ms"), logFile);
    }

    /**
     * Runs {@code command} (a {@code ds serve ... --port 0} command line), stderr appended to
     * {@code logFile}, and waits for the URL it prints ("listening on URL"). The process must be the
     * JVM itself ({@code ./ds} execs java), so that {@link #kill()} kills the server, not a wrapper.
     */
    static ServerProcess start(List<String> command, Path logFile) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
                url.completeExceptionally(new IOException("server exited before listening (exit " + p.waitFor() + ")"));
            } catch (IOException | InterruptedException e) {
                url.completeExceptionally(e);
            }
        }, "server-stdout");
        reader.setDaemon(true);
        reader.start();
        String baseUrl;
        try {
            baseUrl = url.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("server did not start within " + START_TIMEOUT_SECONDS + " s; see " + logFile, e);
        }
        String executable = p.info().command().orElse("");
        if (!executable.endsWith("/java")) {
            p.destroyForcibly();
            throw new IOException("the server process is " + executable + ", not java: SIGKILL would not reach the server");
        }
        return new ServerProcess(p, baseUrl);
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: the clean shutdown path (checkpoint + catalog). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
