package io.durablestreams.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of another process, from {@code /proc/<pid>/status} (VmRSS). */
public final class Rss {
    private final long pid;

    public Rss(long pid) {
        this.pid = pid;
    }

    public long bytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the RSS of process " + pid, e);
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    /** Samples {@link #bytes()} on a daemon thread and keeps the maximum. */
    public final class PeakSampler implements AutoCloseable {
        private final Thread thread;
        private volatile long peak;
        private volatile boolean running = true;

        public PeakSampler(long intervalMillis) {
            peak = bytes();
            thread = new Thread(() -> {
                while (running) {
                    peak = Math.max(peak, bytes());
                    try {
                        Thread.sleep(intervalMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        public long peak() {
            return Math.max(peak, bytes());
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
