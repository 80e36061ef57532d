package io.durablestreams.conformance.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The official Node reference server as a child process ({@code conformance/reference-server/server.mjs}):
 * in-memory, 127.0.0.1, random port, long-poll timeout 500 ms (ADAPTER.md §3.8). It prints its URL on
 * its first stdout line and exits when its stdin closes, so it cannot outlive the runner.
 */
final class ReferenceServer implements AutoCloseable {
    private static final long START_TIMEOUT_SECONDS = 60;

    private final Process process;
    private final String url;

    private ReferenceServer(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    static ReferenceServer start(Path directory) throws IOException {
        Path script = directory.resolve("server.mjs");
        if (!Files.isRegularFile(script)) {
            throw new IOException("reference server script not found: " + script);
        }
        if (!Files.isDirectory(directory.resolve("node_modules/@durable-streams/server"))) {
            throw new IOException("@durable-streams/server is not installed: run 'npm ci' in " + directory);
        }
        Process process = new ProcessBuilder("node", script.toString())
                .directory(directory.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String url;
        try {
            url = firstLine.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("reference server did not start within " + START_TIMEOUT_SECONDS + " s", e);
        }
        if (url == null || !url.startsWith("http")) {
            process.destroyForcibly();
            throw new IOException("reference server did not print its URL (got " + url + ")");
        }
        return new ReferenceServer(process, url.trim());
    }

    String url() {
        return url;
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
