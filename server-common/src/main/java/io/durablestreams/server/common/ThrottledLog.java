package io.durablestreams.server.common;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A log that writes at most one line per kind of event per interval, so an outage that fails every
 * request (a full disk) leaves a line every few seconds instead of one per request. The next line
 * of a kind that gets through says how many of that kind were left out since the previous one.
 * Thread-safe.
 */
public final class ThrottledLog {
    private final System.Logger logger;
    private final long intervalMillis;
    private final LongSupplier clock;
    /** Keyed by kind; callers use a small fixed set of kinds. */
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        boolean logged;
        long lastLoggedAt;
        long suppressed;
    }

    public ThrottledLog(System.Logger logger, long intervalMillis, LongSupplier clockMillis) {
        this.logger = logger;
        this.intervalMillis = intervalMillis;
        this.clock = clockMillis;
    }

    /** Logs {@code message} (with the stack trace of {@code thrown}, when not null) unless a line of this kind was logged within the interval. */
    public void log(System.Logger.Level level, String kind, String message, Throwable thrown) {
        Window w = windows.computeIfAbsent(kind, k -> new Window());
        long suppressed;
        synchronized (w) {
            long now = clock.getAsLong();
            if (w.logged && now - w.lastLoggedAt < intervalMillis) {
                w.suppressed++;
                return;
            }
            suppressed = w.suppressed;
            w.logged = true;
            w.lastLoggedAt = now;
            w.suppressed = 0;
        }
        String line = suppressed == 0 ? message : message + " (and " + suppressed + " more like it since the previous line)";
        if (thrown == null) {
            logger.log(level, line);
        } else {
            logger.log(level, line, thrown);
        }
    }
}
