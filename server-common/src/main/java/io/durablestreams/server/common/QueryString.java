package io.durablestreams.server.common;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a raw query string into parameters in order of appearance, for bindings whose library
 * offers no decoder that leaves the request body alone (a servlet's {@code getParameter} would read
 * a form body). {@code +} is a space; {@code ;} is an ordinary character.
 */
public final class QueryString {
    /** More parameters than this are ignored, as an abuse bound: {@value}. */
    public static final int MAX_PARAMETERS = 1024;

    private QueryString() {}

    /** @throws IllegalArgumentException when a percent-escape is malformed */
    public static Map<String, List<String>> decode(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        int count = 0;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++count > MAX_PARAMETERS) {
                break;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return out;
    }
}
