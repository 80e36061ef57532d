package io.durablestreams.conformance.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client adapter child process, driven exactly as the official runner drives it (ADAPTER.md §3.1):
 * spawned once without arguments, one command line out, one reply line back, strictly sequential. A
 * line that arrives while no command is pending is dropped; a non-JSON line fails the pending command.
 */
final class AdapterProcess implements AutoCloseable {
    private final ObjectMapper mapper;
    private final Process process;
    private final Writer stdin;
    private final Object lock = new Object();
    private CompletableFuture<JsonNode> pending;

    AdapterProcess(Path executable, ObjectMapper mapper) throws IOException {
        this.mapper = mapper;
        this.process = new ProcessBuilder(executable.toString()).start();
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        daemon("adapter-stdout", this::readReplies);
        daemon("adapter-stderr", this::echoStderr);
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** A reply in the making; {@link #await} it. */
    record Sent(CompletableFuture<JsonNode> reply, long deadlineNanos, String type) {
    }

    /** Writes a command without waiting for its reply (background reads). */
    Sent send(ObjectNode command, long timeoutMs) throws IOException {
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        synchronized (lock) {
            pending = reply;
        }
        stdin.write(mapper.writeValueAsString(command));
        stdin.write('\n');
        stdin.flush();
        return new Sent(reply, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs),
                command.path("type").asText());
    }

    /** Waits for a reply until the command's own deadline. */
    JsonNode await(Sent sent) throws IOException {
        long remaining = sent.deadlineNanos() - System.nanoTime();
        try {
            return sent.reply().get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            synchronized (lock) {
                if (pending == sent.reply()) {
                    pending = null;
                }
            }
            throw new IOException("Command timed out: " + sent.type());
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    JsonNode call(ObjectNode command, long timeoutMs) throws IOException {
        return await(send(command, timeoutMs));
    }

    private void readReplies() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                CompletableFuture<JsonNode> target;
                synchronized (lock) {
                    target = pending;
                    pending = null;
                }
                if (target == null) {
                    continue;
                }
                try {
                    JsonNode reply = mapper.readTree(line);
                    if (reply == null || !reply.isObject()) {
                        throw new IOException("not a JSON object");
                    }
                    target.complete(reply);
                } catch (IOException e) {
                    target.completeExceptionally(new IOException("Failed to parse client response: " + line));
                }
            }
        } catch (IOException ignored) {
            // The adapter exited; a pending command fails below.
        }
        CompletableFuture<JsonNode> target;
        synchronized (lock) {
            target = pending;
            pending = null;
        }
        if (target != null) {
            target.completeExceptionally(new IOException("Client adapter exited"));
        }
    }

    private void echoStderr() {
        try (BufferedReader err = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                System.err.println("[client stderr] " + line);
            }
        } catch (IOException ignored) {
            // The adapter exited.
        }
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // Already gone.
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
