package io.durablestreams.engine.store;

/** The idempotent-producer headers of one request (PROTOCOL.md §5.2.1). */
public record ProducerTuple(String id, long epoch, long seq) {}
