package io.durablestreams.engine;

import java.util.concurrent.CompletableFuture;

/**
 * Thrown by a stream lookup, before the request changed anything, when the stream cannot be used
 * yet: its creation or deletion is not durable, or its log is still loading. The engine handles
 * the request again once {@link #until} completes, instead of waiting for it on the request's
 * thread.
 */
final class NotReady extends RuntimeException {
    final transient CompletableFuture<Void> until;

    NotReady(CompletableFuture<Void> until) {
        super(null, null, false, false);
        this.until = until;
    }
}
