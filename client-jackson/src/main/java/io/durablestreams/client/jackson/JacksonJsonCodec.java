package io.durablestreams.client.jackson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablestreams.client.JsonCodec;

import java.util.Objects;

/**
 * A {@link JsonCodec} backed by a Jackson {@link ObjectMapper}: plug it into
 * {@code DurableStreamsClient.newBuilder().jsonCodec(...)} to read and write your own types.
 *
 * <p>{@link #parse} yields Jackson's untyped values ({@code Map}, {@code List}, {@code String},
 * {@code Number}, {@code Boolean}, {@code null}); typed reads ({@code readAllJson(Order.class)},
 * {@code jsonBatches(Order.class)}) convert them with the mapper into any type it binds, records
 * included. {@link #stringify} serializes any value the mapper can. Thread-safe as long as the mapper is not reconfigured after construction.
 */
public final class JacksonJsonCodec implements JsonCodec {
    private final ObjectMapper mapper;

    /** A codec with a default mapper that reads big integers and decimals without loss. */
    public JacksonJsonCodec() {
        this(new ObjectMapper()
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
    }

    /** A codec using {@code mapper}, which must not be reconfigured afterwards. */
    public JacksonJsonCodec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** The mapper, for converting parsed values to application types. */
    public ObjectMapper mapper() {
        return mapper;
    }

    @Override
    public Object parse(String json) {
        try {
            return mapper.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public <T> T convert(Object value, Class<T> type) {
        return mapper.convertValue(value, type);
    }

    @Override
    public String stringify(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
