package io.durablestreams.engine.store;

import java.util.concurrent.CompletableFuture;

/**
 * Thrown by a log's query method when the data it needs is not in memory (a shared store caches
 * chunks; they are loaded on its threads, never on the caller's). The engine retries the read when
 * {@link #until} completes, without holding a thread meanwhile.
 */
public final class DataNotLoaded extends RuntimeException {
    public final transient CompletableFuture<Void> until;

    public DataNotLoaded(CompletableFuture<Void> until) {
        super(null, null, false, false);
        this.until = until;
    }
}
