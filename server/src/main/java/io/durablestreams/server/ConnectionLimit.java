package io.durablestreams.server;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts open connections against {@code --max-connections}. Thread-safe. */
final class ConnectionLimit {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimit(int max) {
        this.max = max;
    }

    /** Takes a slot for {@code ch}, given back when it closes; false (and no slot) when all are taken. */
    boolean admit(Channel ch) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return false;
        }
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        return true;
    }

    int open() {
        return open.get();
    }
}
