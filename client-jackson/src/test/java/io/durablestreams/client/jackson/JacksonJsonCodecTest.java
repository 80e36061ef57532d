package io.durablestreams.client.jackson;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JacksonJsonCodecTest {
    private final JacksonJsonCodec codec = new JacksonJsonCodec();

    @Test
    void parsesArraysOfObjectsKeepingKeyOrder() {
        Object parsed = codec.parse("[{\"b\":1,\"a\":\"x\"},null]");
        assertThat(parsed).isInstanceOf(List.class);
        List<?> list = (List<?>) parsed;
        assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) list.get(0)).keySet())).containsExactly("b", "a");
        assertThat(list.get(1)).isNull();
    }

    @Test
    void keepsLargeIntegersExact() {
        assertThat(codec.parse("9007199254740993")).isEqualTo(new BigInteger("9007199254740993"));
    }

    @Test
    void rejectsMalformedAndTrailingInputWithIllegalArgument() {
        assertThatThrownBy(() -> codec.parse("{\"a\":")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.parse("[1] [2]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stringifiesCompactly() {
        assertThat(codec.stringify(Map.of("k", List.of(1, "two")))).isEqualTo("{\"k\":[1,\"two\"]}");
    }
}
