package io.durablestreams.protocol;

/**
 * A position in a stream, as minted by this server: {@code <incarnation>_<position>}, both
 * zero-padded to 16 decimal digits so that string order equals numeric order (PROTOCOL.md §8).
 *
 * <p>{@code position} is the logical byte position in the stream's data; a fork shares the
 * position space of its source. {@code incarnation} identifies which creation of a stream minted
 * the offset; it is not used to locate data. The literals {@code 0000000000000000_0000000000000000}
 * (start) and {@code 9999999999999999_9999999999999999} (beyond any tail) keep their obvious
 * meaning.
 */
public record Offset(long incarnation, long position) implements Comparable<Offset> {
    public static final String BEGINNING = "-1";
    public static final String NOW = "now";
    public static final long MAX_COMPONENT = 9_999_999_999_999_999L;
    private static final int DIGITS = 16;
    private static final int LENGTH = DIGITS * 2 + 1;

    public Offset {
        if (incarnation < 0 || incarnation > MAX_COMPONENT || position < 0 || position > MAX_COMPONENT) {
            throw new IllegalArgumentException("offset component out of range: " + incarnation + "_" + position);
        }
    }

    /**
     * Parses an offset token minted by {@link #toString()}.
     *
     * @return the offset, or {@code null} when the token is not of this server's form
     */
    public static Offset parse(String token) {
        if (token == null || token.length() != LENGTH || token.charAt(DIGITS) != '_') {
            return null;
        }
        long inc = digits(token, 0);
        long pos = digits(token, DIGITS + 1);
        return inc < 0 || pos < 0 ? null : new Offset(inc, pos);
    }

    private static long digits(String s, int from) {
        long v = 0;
        for (int i = from; i < from + DIGITS; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    @Override
    public String toString() {
        char[] out = new char[LENGTH];
        fill(out, 0, incarnation);
        out[DIGITS] = '_';
        fill(out, DIGITS + 1, position);
        return new String(out);
    }

    private static void fill(char[] out, int from, long value) {
        for (int i = from + DIGITS - 1; i >= from; i--) {
            out[i] = (char) ('0' + (value % 10));
            value /= 10;
        }
    }

    @Override
    public int compareTo(Offset o) {
        int c = Long.compare(incarnation, o.incarnation);
        return c != 0 ? c : Long.compare(position, o.position);
    }
}
