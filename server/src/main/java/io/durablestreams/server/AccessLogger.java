package io.durablestreams.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one line per completed request, as text or JSON, on its own thread so a slow terminal
 * or pipe never stalls an event loop. When the queue is full, lines are dropped and counted.
 */
final class AccessLogger implements AutoCloseable {
    /** Lines buffered before dropping: {@value}. */
    static final int QUEUE_CAPACITY = 16_384;

    record Entry(long epochMillis, String remote, String method, String uri, int status, long bytes,
                 long durationMicros, String operation) {}

    private final ServerConfig.AccessLog format;
    private final PrintStream out;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    AccessLogger(ServerConfig.AccessLog format, PrintStream out) {
        this.format = format;
        this.out = out;
        this.writer = new Thread(this::drain, "ds-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    void log(Entry e) {
        if (!queue.offer(e)) {
            dropped.incrementAndGet();
        }
    }

    private void drain() {
        try {
            while (!closed || !queue.isEmpty()) {
                Entry e = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (e != null) {
                    out.println(format == ServerConfig.AccessLog.JSON ? json(e) : text(e));
                }
                long d = dropped.getAndSet(0);
                if (d > 0) {
                    out.println("access log: dropped " + d + " lines (queue full)");
                }
            }
            out.flush();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    static String text(Entry e) {
        return Instant.ofEpochMilli(e.epochMillis()) + " " + e.remote() + " \"" + e.method() + " " + e.uri() + "\" "
                + e.status() + " " + e.bytes() + " " + (e.durationMicros() / 1000.0) + "ms " + e.operation();
    }

    static String json(Entry e) {
        StringBuilder sb = new StringBuilder(160).append("{\"ts\":\"").append(Instant.ofEpochMilli(e.epochMillis()))
                .append("\",\"remote\":");
        quote(sb, e.remote());
        sb.append(",\"method\":");
        quote(sb, e.method());
        sb.append(",\"uri\":");
        quote(sb, e.uri());
        return sb.append(",\"status\":").append(e.status()).append(",\"bytes\":").append(e.bytes())
                .append(",\"duration_ms\":").append(e.durationMicros() / 1000.0)
                .append(",\"op\":\"").append(e.operation()).append("\"}").toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        sb.append('"');
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
