package io.durablestreams.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress display on stderr for long transfers: bytes so far, rate, and a bar when the
 * total is known. It appears only after {@value #DELAY_MILLIS} ms, so quick commands print nothing, and
 * redraws at most every {@value #REDRAW_MILLIS} ms. Use {@link #NONE} when stderr is not a terminal:
 * control characters must never reach a pipe or a log file.
 */
class Progress implements AutoCloseable {
    static final long DELAY_MILLIS = 1000;
    static final long REDRAW_MILLIS = 200;
    private static final int BAR_WIDTH = 30;

    /** Draws nothing. */
    static final Progress NONE = new Progress(null, "", -1, () -> 0) {
        @Override
        void advance(long bytes) {
        }

        @Override
        public void close() {
        }
    };

    private final PrintStream err;
    private final String label;
    private final long totalBytes;
    private final LongSupplier clockMillis;
    private final long startMillis;
    private long bytes;
    private long drawnAtMillis;
    private boolean drawn;

    Progress(PrintStream err, String label, long totalBytes, LongSupplier clockMillis) {
        this.err = err;
        this.label = label;
        this.totalBytes = totalBytes;
        this.clockMillis = clockMillis;
        this.startMillis = clockMillis.getAsLong();
    }

    /** A progress line for {@code io}'s stderr if it is a terminal, else {@link #NONE}. */
    static Progress on(Io io, String label, long totalBytes) {
        return io.stderrIsTerminal() ? new Progress(io.err(), label, totalBytes, System::currentTimeMillis) : NONE;
    }

    /** Counts {@code bytes} more and redraws if due. Not thread-safe: call from the transferring thread. */
    void advance(long bytes) {
        this.bytes += bytes;
        long now = clockMillis.getAsLong();
        if (now - startMillis >= DELAY_MILLIS && now - drawnAtMillis >= REDRAW_MILLIS) {
            drawnAtMillis = now;
            drawn = true;
            err.print("\r\033[2K" + line(now));
            err.flush();
        }
    }

    /** Erases the line, so that what follows on stderr starts clean. */
    @Override
    public void close() {
        if (drawn) {
            err.print("\r\033[2K");
            err.flush();
        }
    }

    String line(long nowMillis) {
        double seconds = Math.max(0.001, (nowMillis - startMillis) / 1000.0);
        String rate = size(Math.round(bytes / seconds)) + "/s";
        if (totalBytes <= 0) {
            return String.format(Locale.ROOT, "%s %s  %s", label, size(bytes), rate);
        }
        int filled = (int) Math.min(BAR_WIDTH, BAR_WIDTH * bytes / totalBytes);
        return String.format(Locale.ROOT, "%s [%s%s] %3d%%  %s / %s  %s", label, "#".repeat(filled),
                "-".repeat(BAR_WIDTH - filled), Math.min(100, 100 * bytes / totalBytes), size(bytes),
                size(totalBytes), rate);
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
