package io.durablestreams.engine;

import io.durablestreams.protocol.Offset;
import io.durablestreams.protocol.ProtocolHeaders;

/**
 * Stream incarnations (docs/extensions/stream-incarnations.md): every creation of a stream gets a
 * server-wide increasing id that its offsets carry. An offset minted by an incarnation that is not
 * in the stream's own fork chain can never become valid again — the stream was deleted (or
 * expired) and recreated — so the server answers {@code 410 Gone} of type {@code stream-reset},
 * cacheable for long, instead of serving the new stream's bytes as if they continued the old ones.
 */
final class Incarnations {
    /** Incarnation 0 carries no identity: the start literal {@code 0000000000000000_0000000000000000}. */
    static final long ANY = 0;
    /** A 410 of a dead incarnation never changes: cache it for a year. */
    static final String RESET_CACHE_CONTROL = "public, max-age=31536000, immutable";

    private Incarnations() {}

    static String format(long incarnation) {
        return new Offset(incarnation, 0).toString().substring(0, 16);
    }

    /**
     * The position {@code o} denotes in stream {@code s}, whose visible tail is {@code tail}.
     *
     * @throws Problem 410 {@code stream-reset} for an offset of another incarnation; 400 for a
     *                 position the stream never had
     */
    static long position(StreamState s, Offset o, long tail, String what) {
        if (o.incarnation() == Offset.MAX_COMPONENT || (o.incarnation() == ANY && o.position() > tail)) {
            throw beyondTail(s, o, tail, what);
        }
        if (o.incarnation() == ANY) {
            return o.position();
        }
        long limit = tail;
        for (StreamState m = s; m != null; m = m.source) {
            if (m.incarnation == o.incarnation()) {
                if (o.position() > limit) {
                    throw m == s ? beyondTail(s, o, tail, what) : Problem.badRequest("invalid-offset", what + " " + o
                            + " lies past where this fork diverged from " + Problem.clip(m.name));
                }
                return o.position();
            }
            if (m.source != null) {
                limit = Math.min(limit, m.forkPosition);
            }
        }
        throw reset(s, o);
    }

    private static Problem beyondTail(StreamState s, Offset o, long tail, String what) {
        return Problem.badRequest("offset-beyond-tail", what + " " + o + " is beyond the stream's tail " + s.offsetOf(tail));
    }

    static Problem reset(StreamState s, Offset o) {
        return new Problem(410, "stream-reset", "Stream was reset",
                "offset " + o + " belongs to an earlier incarnation of " + Problem.clip(s.name)
                        + "; the stream was deleted and recreated (current incarnation " + format(s.incarnation) + ")")
                .with(ProtocolHeaders.STREAM_INCARNATION, format(s.incarnation))
                .with(ProtocolHeaders.STREAM_RESTARTABLE, Boolean.toString(s.restartable))
                .with(ProtocolHeaders.CACHE_CONTROL, RESET_CACHE_CONTROL);
    }

    /** Adds the {@code Stream-Incarnation} header naming the stream a response describes. */
    static io.durablestreams.engine.http.Response tag(io.durablestreams.engine.http.Response r, StreamState s) {
        if (s.restartable) {
            r.header(ProtocolHeaders.STREAM_RESTARTABLE, "true");
        }
        return r.header(ProtocolHeaders.STREAM_INCARNATION, format(s.incarnation));
    }

    /** Enforces a {@code Stream-Incarnation} precondition on a write: 412 when it names another incarnation. */
    static void checkPrecondition(StreamState s, String header) {
        if (header == null) {
            return;
        }
        String expected = format(s.incarnation);
        String given = header.trim();
        boolean same = given.equals(expected);
        if (!same && !given.isEmpty() && given.length() <= 16 && given.chars().allMatch(Character::isDigit)) {
            same = Long.parseLong(given) == s.incarnation;
        }
        if (!same) {
            throw new Problem(412, "incarnation-mismatch", "Precondition failed",
                    "Stream-Incarnation " + HeaderRules.quoted(given) + " is not the current incarnation " + expected
                            + " of " + Problem.clip(s.name) + "; nothing was written")
                    .with(ProtocolHeaders.STREAM_INCARNATION, expected);
        }
    }
}
