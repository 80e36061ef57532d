package io.durablestreams.engine;

import io.durablestreams.engine.http.Response;
import io.durablestreams.protocol.ProtocolHeaders;

/**
 * Retention (docs/extensions/retention.md): which positions a stream still serves. Each policy is a
 * limit on what is kept — by age ({@code Stream-Retention-Age}), by size ({@code
 * Stream-Retention-Bytes}), from the latest snapshot ({@code Stream-Snapshot} on an append) — and
 * the earliest retained position is the largest cut they allow, except that a stream with a
 * snapshot is never cut past its latest snapshot (a reader folding from it needs its base). Offsets
 * below that position are answered {@code 410} of type {@code offset-reclaimed}.
 */
final class Retention {
    /**
     * A 410 of a reclaimed offset never turns into data again, but the earliest offset it names
     * moves on: caches may keep it for as long as a chunk.
     */
    static final String RECLAIMED_CACHE_CONTROL = "public, max-age=60";

    private Retention() {}

    /** Throws the 410 when {@code position} (of {@code offset}) lies before what {@code s} still serves. */
    static void check(StreamState s, long position, Object offset) {
        long start = s.retainedStart;
        if (position < start) {
            throw reclaimed(s, offset, start);
        }
    }

    static Problem reclaimed(StreamState s, Object offset, long start) {
        String earliest = s.offsetOf(start).toString();
        return new Problem(410, "offset-reclaimed", "Offset reclaimed",
                "offset " + offset + " lies before the earliest retained offset " + earliest + " of " + Problem.clip(s.name)
                        + "; its data was reclaimed by the stream's retention")
                .with(ProtocolHeaders.STREAM_EARLIEST_OFFSET, earliest)
                .with(ProtocolHeaders.STREAM_INCARNATION, Incarnations.format(s.incarnation))
                .with(ProtocolHeaders.STREAM_RESTARTABLE, Boolean.toString(s.restartable))
                .with(ProtocolHeaders.CACHE_CONTROL, RECLAIMED_CACHE_CONTROL);
    }

    /** The retention headers of a stream's metadata (HEAD, PUT). */
    static Response describe(Response r, StreamState s) {
        r.header(ProtocolHeaders.STREAM_EARLIEST_OFFSET, s.offsetOf(s.retainedStart).toString());
        if (s.retentionAgeSeconds != null) {
            r.header(ProtocolHeaders.STREAM_RETENTION_AGE, s.retentionAgeSeconds.toString());
        }
        if (s.retentionBytes != null) {
            r.header(ProtocolHeaders.STREAM_RETENTION_BYTES, s.retentionBytes.toString());
        }
        return r;
    }

    /**
     * The start the policies allow now: at least the current one; for age and size, the start of
     * the first append that must be kept (so always a message boundary). Read over the fork chain:
     * a fork's inherited bytes count for its size and carry their source's append times.
     */
    static long cut(StreamState s, long nowMillis) {
        long start = s.retainedStart;
        long tail = s.visibleTail;
        long cut = start;
        if (s.retentionBytes != null && tail - start > s.retentionBytes) {
            long target = tail - s.retentionBytes;
            cut = Math.max(cut, ForkPoints.segment(s, target, tail).log().appendBoundaryAtOrBefore(target));
        }
        if (s.retentionAgeSeconds != null) {
            long before = nowMillis - Expiry.ttlMillis(s.retentionAgeSeconds);
            long pos = start;
            while (pos < tail) {
                ForkPoints.Segment seg = ForkPoints.segment(s, pos, tail);
                long end = seg.log().appendedBefore(pos, seg.limit(), before);
                if (end <= pos) {
                    break;
                }
                pos = end;
                if (end < seg.limit()) {
                    break;
                }
            }
            cut = Math.max(cut, pos);
        }
        long snapshot = s.latestSnapshot;
        if (snapshot >= 0) {
            cut = Math.min(cut, snapshot);
        }
        return Math.max(cut, start);
    }
}
