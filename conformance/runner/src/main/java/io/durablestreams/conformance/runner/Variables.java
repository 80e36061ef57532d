package io.durablestreams.conformance.runner;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test variables: {@code ${name}}, {@code ${name.prop}} and the built-in {@code ${randomUUID}}. Like the
 * official runner, an undefined variable is an error rather than an empty string.
 */
final class Variables {
    private static final Pattern REF = Pattern.compile("\\$\\{([^}]+)}");
    private final Map<String, JsonNode> values = new HashMap<>();

    void set(String name, JsonNode value) {
        values.put(name, value);
    }

    void clear() {
        values.clear();
    }

    String resolve(String text) {
        Matcher m = REF.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(lookup(m.group(1))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private String lookup(String expr) {
        if (expr.equals("randomUUID")) {
            return UUID.randomUUID().toString();
        }
        String[] parts = expr.split("\\.");
        JsonNode current = values.get(parts[0]);
        if (current == null) {
            throw new IllegalStateException("Undefined variable: " + parts[0] + " (in ${" + expr + "})");
        }
        for (int i = 1; i < parts.length && current != null && !current.isNull(); i++) {
            current = current.get(parts[i]);
        }
        return current == null || current.isNull() ? "" : current.asText();
    }
}
