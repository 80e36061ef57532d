package io.durablestreams.engine.subscriptions;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What subscriptions need from the engine: stream tails, the stream listing, and appends to wake streams. */
public interface StreamDirectory {
    /** A stream's current incarnation and acknowledged tail. */
    record Tail(long incarnation, long position, String offset) {}

    /** The tail of a live stream, or null if there is none. */
    Tail tail(String name);

    /** Names of every live stream (for backfilling glob patterns). */
    List<String> names();

    /** Appends one JSON message to a stream; completes with false if the stream is missing or refuses it. */
    CompletableFuture<Boolean> appendJson(String name, String json);
}
