package io.durablestreams.server;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections against {@code --max-connections}, and refused connections that are
 * still being answered (each holds a descriptor for up to {@link OverloadedConnection#LINGER_MILLIS}).
 * Thread-safe.
 */
final class ConnectionLimit {
    /**
     * Refusals answered at once, at most: {@value}, well inside the descriptors the limit leaves
     * spare, so a flood of connections cannot use them up; beyond it, refused connections are
     * closed without an answer.
     */
    static final int MAX_ANSWERING = 128;

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger answering = new AtomicInteger();

    ConnectionLimit(int max) {
        this.max = max;
    }

    /** Takes a slot for {@code ch}, given back when it closes; false (and no slot) when all are taken. */
    boolean admit(Channel ch) {
        return take(open, max, ch);
    }

    /** Whether the refused {@code ch} may be answered; if so it counts until it closes. */
    boolean mayAnswerRefusal(Channel ch) {
        return take(answering, MAX_ANSWERING, ch);
    }

    private static boolean take(AtomicInteger counter, int limit, Channel ch) {
        if (counter.incrementAndGet() > limit) {
            counter.decrementAndGet();
            return false;
        }
        ch.closeFuture().addListener(f -> counter.decrementAndGet());
        return true;
    }

    int open() {
        return open.get();
    }
}
