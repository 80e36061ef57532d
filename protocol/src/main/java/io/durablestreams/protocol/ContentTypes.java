package io.durablestreams.protocol;

import java.util.Locale;

/** Content-type rules of PROTOCOL.md §5.1, §5.8 and §9. */
public final class ContentTypes {
    private ContentTypes() {}

    public static final String DEFAULT = "application/octet-stream";
    public static final String JSON = "application/json";

    /**
     * The media type without parameters, lower-cased: {@code "Application/JSON; charset=utf-8"}
     * becomes {@code "application/json"}. Used for every comparison between content types.
     */
    public static String essence(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        String type = semi >= 0 ? contentType.substring(0, semi) : contentType;
        return type.trim().toLowerCase(Locale.ROOT);
    }

    /** True for a syntactically plausible {@code type/subtype}. */
    public static boolean isValid(String contentType) {
        String e = essence(contentType);
        int slash = e.indexOf('/');
        if (slash <= 0 || slash == e.length() - 1 || e.indexOf('/', slash + 1) >= 0) {
            return false;
        }
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || "!#$&-^_.+".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static boolean sameType(String a, String b) {
        return essence(a).equals(essence(b));
    }

    public static boolean isJson(String contentType) {
        return JSON.equals(essence(contentType));
    }

    /** SSE carries {@code text/*} and JSON natively; everything else is base64 (§5.8). */
    public static boolean isSseText(String contentType) {
        String e = essence(contentType);
        return e.startsWith("text/") || JSON.equals(e);
    }
}
