package io.durablestreams.client;

/**
 * Converts between JSON text and Java values, so that applications can plug in the JSON library they
 * already use. The client needs {@link #parse} for JSON-mode reads (§9.1), {@link #stringify} for
 * {@code appendJson}, and {@link #convert} for typed reads ({@code readAllJson(Order.class)}).
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

    /**
     * Converts a value {@link #parse} returned into {@code type}, for typed reads. The default accepts
     * only values that already are of that type ({@code Map}, {@code String}, ...); codecs backed by a
     * data-binding library (such as {@code JacksonJsonCodec}) convert to any type it can build.
     *
     * @throws IllegalArgumentException if the value cannot be converted
     */
    default <T> T convert(Object value, Class<T> type) {
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw new IllegalArgumentException(getClass().getSimpleName() + " cannot convert a " + value.getClass().getSimpleName()
                + " to " + type.getName() + "; use a codec that binds your types, e.g. JacksonJsonCodec from ds-client-jackson");
    }
}
