package io.durablestreams.conformance.adapter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The adapter's dynamic headers or query parameters (ADAPTER.md §3.3.8): each is evaluated once per
 * {@code append}/{@code read} command, and the values used are reported back.
 */
final class DynamicValues {
    private static final class Value {
        final String type;
        final String token;
        long counter;

        Value(String type, String token) {
            this.type = type;
            this.token = token;
        }

        String next() {
            return switch (type) {
                case "counter" -> Long.toString(++counter);
                case "timestamp" -> Long.toString(System.currentTimeMillis());
                case "token" -> token == null ? "" : token;
                default -> throw new IllegalArgumentException("valueType must be counter, timestamp or token, was "
                        + type);
            };
        }
    }

    private final Map<String, Value> values = new LinkedHashMap<>();

    void set(String name, String valueType, String initialValue) {
        if (!valueType.equals("counter") && !valueType.equals("timestamp") && !valueType.equals("token")) {
            throw new IllegalArgumentException("valueType must be counter, timestamp or token, was " + valueType);
        }
        values.put(name, new Value(valueType, initialValue));
    }

    void clear() {
        values.clear();
    }

    /** Evaluates every value once, for one command. */
    Map<String, String> evaluate() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((name, v) -> out.put(name, v.next()));
        return out;
    }
}
