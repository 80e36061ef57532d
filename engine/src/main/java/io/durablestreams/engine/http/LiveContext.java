package io.durablestreams.engine.http;

import java.util.concurrent.Executor;

/**
 * What a live read needs from the connection it runs on: an executor that runs tasks on the
 * connection's thread, and a timer. The HTTP binding provides it (for Netty: the channel's event
 * loop), so a waiting reader holds no thread of its own.
 */
public interface LiveContext {
    Executor executor();

    /** Runs {@code task} on {@link #executor()} after {@code delayMillis}; the result cancels it. */
    Runnable schedule(Runnable task, long delayMillis);
}
