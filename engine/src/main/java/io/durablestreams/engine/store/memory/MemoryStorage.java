package io.durablestreams.engine.store.memory;

import io.durablestreams.engine.store.StreamLog;
import io.durablestreams.engine.store.StreamStorage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps every stream in the heap. Appends are "durable" as soon as they are stored: nothing
 * survives a restart. For tests, development and ephemeral deployments.
 */
public final class MemoryStorage implements StreamStorage {
    private final AtomicLong incarnations = new AtomicLong();

    @Override
    public StreamLog createLog(String name, long incarnation, long base) {
        return new MemoryStreamLog(base);
    }

    @Override
    public long nextIncarnation() {
        return incarnations.incrementAndGet();
    }

    @Override
    public void close() {}
}
