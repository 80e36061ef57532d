package io.durablestreams.engine;

import io.durablestreams.engine.store.StreamLog;
import io.durablestreams.protocol.Offset;

/**
 * Resolves where a fork diverges from its source: the offset (default: the source's tail) refined
 * by a sub-offset counted inside the next append of the source (PROTOCOL.md §4.2).
 */
final class ForkPoints {
    private ForkPoints() {}

    /** A segment of a fork chain: the log that holds a position, and where its range ends. */
    record Segment(StreamLog log, long limit) {}

    /** The log of {@code s}'s chain that holds the byte at {@code position}, and its range end. */
    static Segment segment(StreamState s, long position, long visibleTail) {
        long limit = visibleTail;
        while (s.source != null && position < s.forkPosition) {
            limit = Math.min(limit, s.forkPosition);
            s = s.source;
        }
        return new Segment(s.log, limit);
    }

    static long resolve(StreamState source, Offset offset, long subOffset) {
        long tail = source.visibleTail;
        long pos = offset == null ? tail : Incarnations.position(source, offset, tail, "Stream-Fork-Offset");
        // a fork's readers read its inherited range from the source: it must still be there
        Retention.check(source, pos, offset);
        if (source.json && pos < tail && !segment(source, pos, tail).log().isMessageBoundary(pos)) {
            throw Problem.badRequest("invalid-offset", "Stream-Fork-Offset " + offset + " is not a message boundary");
        }
        if (subOffset == 0) {
            return pos;
        }
        Segment seg = segment(source, pos, tail);
        long[] boundaries = seg.log().boundariesToBatchEnd(pos);
        int usable = 0;
        while (usable < boundaries.length && boundaries[usable] <= seg.limit()) {
            usable++;
        }
        if (source.json) {
            if (subOffset > usable) {
                throw Problem.badRequest("invalid-sub-offset", "Stream-Fork-Sub-Offset " + subOffset
                        + " exceeds the " + usable + " messages of the next append");
            }
            return boundaries[(int) subOffset - 1];
        }
        // the next append may continue past this segment's end (a fork inside it): clamp to the segment
        long batchEnd = boundaries.length == 0 ? pos : Math.min(boundaries[boundaries.length - 1], seg.limit());
        if (subOffset > batchEnd - pos) {
            throw Problem.badRequest("invalid-sub-offset", "Stream-Fork-Sub-Offset " + subOffset
                    + " exceeds the " + (batchEnd - pos) + " bytes of the next append");
        }
        return pos + subOffset;
    }
}
