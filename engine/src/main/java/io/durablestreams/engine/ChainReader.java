package io.durablestreams.engine;

import io.durablestreams.engine.store.FileSlice;
import io.durablestreams.engine.store.StreamLog;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a bounded run of a stream's bytes, stitching a fork's inherited range (read in place from
 * its source chain) with its own data. Ends on message boundaries for JSON streams, and on UTF-8
 * character boundaries when asked to.
 */
final class ChainReader {
    private ChainReader() {}

    /** Bytes in {@code [from, end)}. */
    record Slice(long from, long end, List<ByteBuffer> parts) {
        boolean isEmpty() {
            return end == from;
        }
    }

    /** A run of bytes held by one log of the chain. */
    record Piece(StreamLog log, long from, long to) {}

    /** Bytes in {@code [from, end)}, planned but not read. */
    record Plan(long from, long end, List<Piece> pieces) {
        boolean isEmpty() {
            return end == from;
        }

        Slice read() {
            List<ByteBuffer> parts = new ArrayList<>();
            for (Piece p : pieces) {
                parts.addAll(p.log().read(p.from(), p.to()));
            }
            return new Slice(from, end, parts);
        }

        /** The whole run as one file region, when it lies in one file of one log; else null. */
        FileSlice fileSlice() {
            return pieces.size() == 1 ? pieces.get(0).log().fileSlice(from, end) : null;
        }
    }

    static Slice read(StreamState s, long from, long tail, int maxBytes, boolean textBoundaries) {
        return plan(s, from, tail, maxBytes, textBoundaries).read();
    }

    static Plan plan(StreamState s, long from, long tail, int maxBytes, boolean textBoundaries) {
        List<Piece> pieces = new ArrayList<>();
        long pos = from;
        long budget = maxBytes;
        while (pos < tail && budget > 0) {
            ForkPoints.Segment seg = ForkPoints.segment(s, pos, tail);
            long end = seg.log().boundedEnd(pos, seg.limit(), budget, !s.json);
            if (end - pos > budget && !pieces.isEmpty()) {
                break;
            }
            if (textBoundaries && !s.json && end < seg.limit()) {
                end = utf8Boundary(seg, pos, end);
            }
            if (end <= pos) {
                break;
            }
            pieces.add(new Piece(seg.log(), pos, end));
            budget -= end - pos;
            pos = end;
        }
        return new Plan(from, pos, pieces);
    }

    /** Moves {@code end} back so it does not split a UTF-8 sequence (keeps at least one character). */
    private static long utf8Boundary(ForkPoints.Segment seg, long from, long end) {
        long lookback = Math.max(from, end - 3);
        List<ByteBuffer> tailBytes = seg.log().read(lookback, end + 1);
        byte[] b = new byte[(int) (end + 1 - lookback)];
        int n = 0;
        for (ByteBuffer buf : tailBytes) {
            ByteBuffer d = buf.duplicate();
            int len = d.remaining();
            d.get(b, n, len);
            n += len;
        }
        long cut = end;
        // b[end - lookback] is the byte just after the cut: back up while it is a continuation byte
        while (cut > from && cut > lookback && (b[(int) (cut - lookback)] & 0xC0) == 0x80) {
            cut--;
        }
        return cut > from ? cut : end;
    }

    /** Concatenates parts into one array (for SSE framing and tests). */
    static byte[] bytes(List<ByteBuffer> parts) {
        int n = 0;
        for (ByteBuffer b : parts) {
            n += b.remaining();
        }
        byte[] out = new byte[n];
        int at = 0;
        for (ByteBuffer b : parts) {
            ByteBuffer d = b.duplicate();
            int len = d.remaining();
            d.get(out, at, len);
            at += len;
        }
        return out;
    }
}
