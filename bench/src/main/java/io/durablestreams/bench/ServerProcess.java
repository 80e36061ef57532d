package io.durablestreams.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server started from a command template with {@code {port}} and {@code {dir}} placeholders, for
 * the restart scenario, which must own the server's whole lifetime.
 */
final class ServerProcess implements AutoCloseable {
    private static final long POLL_MILLIS = 2;

    private final Process process;
    final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ServerProcess start(String template, Path dir, Path log) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        for (String word : template.trim().split("\\s+")) {
            command.add(word.replace("{port}", Integer.toString(port)).replace("{dir}", dir.toString()));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ServerProcess(p, port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Polls {@code GET path} until it answers 200 and returns the time since {@code startNanos}. A raw
     * socket keeps the probe itself from adding HTTP-client start-up time.
     */
    long awaitReady(String path, long startNanos, long timeoutMillis) throws InterruptedException {
        return await(path, startNanos, timeoutMillis, true);
    }

    /** Waits until the server answers HTTP at all (any status). */
    void awaitListening(long timeoutMillis) throws InterruptedException {
        await("/", System.nanoTime(), timeoutMillis, false);
    }

    private long await(String path, long startNanos, long timeoutMillis, boolean require200) throws InterruptedException {
        long deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue());
            }
            int status = status(path);
            if (require200 ? status == 200 : status > 0) {
                return System.nanoTime() - startNanos;
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new IllegalStateException("server not ready within " + timeoutMillis + " ms");
    }

    private int status(String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String line = new String(head, StandardCharsets.US_ASCII);
            return line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM, so the server shuts down cleanly (our file store writes its catalog). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
