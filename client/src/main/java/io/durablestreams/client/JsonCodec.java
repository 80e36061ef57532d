package io.durablestreams.client;

/**
 * Converts between JSON text and Java values, so that applications can plug in the JSON library they
 * already use. The client itself only needs {@link #parse} for JSON-mode reads (§9.1) and
 * {@link #stringify} for {@link IdempotentProducer#appendJson}.
 *
 * <p>The built-in {@link SimpleJsonCodec} maps JSON to {@code Map}/{@code List}/{@code String}/
 * {@code Number}/{@code Boolean}/{@code null}; {@code ds-client-jackson} offers a Jackson implementation.
 * Implementations must be thread-safe.
 */
public interface JsonCodec {
    /**
     * Parses one JSON text.
     *
     * @throws IllegalArgumentException if {@code json} is not valid JSON
     */
    Object parse(String json);

    /**
     * Serializes a value to compact JSON text.
     *
     * @throws IllegalArgumentException if the value cannot be represented as JSON
     */
    String stringify(Object value);
}
