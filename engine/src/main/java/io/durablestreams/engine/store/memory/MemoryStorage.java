package io.durablestreams.engine.store.memory;

import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.StreamLog;
import io.durablestreams.engine.store.StreamStorage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps every stream in the heap. Appends are "durable" as soon as they are stored: nothing
 * survives a restart. For tests, development and ephemeral deployments.
 */
public final class MemoryStorage implements StreamStorage {
    private final AtomicLong incarnations = new AtomicLong();

    @Override
    public List<RecoveredStream> recover() {
        return List.of();
    }

    @Override
    public CompletableFuture<StreamLog> createLog(StreamDescriptor descriptor) {
        return CompletableFuture.completedFuture(new MemoryStreamLog(descriptor));
    }

    @Override
    public CompletableFuture<Long> nextIncarnation() {
        return CompletableFuture.completedFuture(incarnations.incrementAndGet());
    }

    @Override
    public void close() {}
}
