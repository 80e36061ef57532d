package io.durablestreams.spring;

import io.durablestreams.client.JsonCodec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * The client's JSON through the application's Jackson 3 mapper (Spring Boot 4's), so JSON
 * messages are read and written with the application's modules and settings.
 */
public final class Jackson3JsonCodec implements JsonCodec {
    private final ObjectMapper mapper;

    public Jackson3JsonCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Object parse(String json) {
        try {
            return mapper.readValue(json, Object.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String stringify(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
