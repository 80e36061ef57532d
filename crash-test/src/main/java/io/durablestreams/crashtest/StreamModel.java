package io.durablestreams.crashtest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What the harness knows about one stream: how many of its records were acknowledged, and which
 * operation (at most one: each stream has a single sequential writer) is in doubt because the
 * server died while it was in flight. Record {@code i} has deterministic bytes, so the expected
 * content is recomputed rather than stored. Owned by one worker during load, by the checker
 * between runs.
 */
final class StreamModel {
    enum Kind { PRODUCER, STREAM_SEQ }

    final int id;
    final String name;
    final Kind kind;
    /** Stream-Retention-Bytes of the stream, or 0 when it keeps everything. */
    final long retentionBytes;
    /** The highest position any read saw the stream start at: reclaimed bytes never come back. */
    long start;
    int acked;
    boolean appendInDoubt;
    boolean closed;
    boolean closeInDoubt;
    /** Restarts survived since the close was acknowledged (or resolved). */
    int checksSinceClosed;
    boolean deleted;
    boolean deleteInDoubt;
    /** Last Stream-Next-Offset the server acknowledged for this stream. */
    String lastOffset = "";

    StreamModel(int id, Kind kind) {
        this(id, kind, 0);
    }

    StreamModel(int id, Kind kind, long retentionBytes) {
        this.id = id;
        this.kind = kind;
        this.retentionBytes = retentionBytes;
        // names are arbitrary strings: slashes, spaces, non-ASCII; never file paths on the server
        this.name = "crash/" + id + "/strøm " + kind.name().toLowerCase() + (retentionBytes > 0 ? " retained" : "");
    }

    boolean writable() {
        return !deleted && !closed && !appendInDoubt && !closeInDoubt && !deleteInDoubt;
    }

    String producerId() {
        return "producer-" + id;
    }

    String streamSeq(int i) {
        return String.format("%010d", i);
    }

    static byte[] record(int streamId, int i) {
        int fill = (i * 37 + streamId * 11) % 200;
        String s = "<" + streamId + "#" + i + ":" + String.valueOf((char) ('a' + i % 26)).repeat(fill) + ">\n";
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * How a stream's content compares with its first {@code acked} records, record by record:
     * acknowledged records missing, records present more than once (each extra copy counts), and
     * anything else (records never acknowledged, bytes that are no record). Zero everywhere and in
     * order exactly when the content is {@link #expected(int) expected(acked)}.
     */
    record Tally(int lost, int duplicated, int unexpected, boolean inOrder) {
        boolean exact() {
            return lost == 0 && duplicated == 0 && unexpected == 0 && inOrder;
        }
    }

    Tally tally(byte[] content, int acked) {
        int[] copies = new int[acked];
        int unexpected = 0;
        int next = 0;
        boolean inOrder = true;
        String text = new String(content, StandardCharsets.UTF_8);
        int from = 0;
        while (from < text.length()) {
            int end = text.indexOf('\n', from);
            String line = end < 0 ? text.substring(from) : text.substring(from, end + 1);
            from = end < 0 ? text.length() : end + 1;
            int i = recordIndex(line);
            if (i < 0 || i >= acked) {
                unexpected++;
                inOrder = false;
                continue;
            }
            copies[i]++;
            inOrder &= i == next;
            next = i + 1;
        }
        int lost = 0;
        int duplicated = 0;
        for (int c : copies) {
            lost += c == 0 ? 1 : 0;
            duplicated += Math.max(0, c - 1);
        }
        return new Tally(lost, duplicated, unexpected, inOrder && next == acked);
    }

    /** The index of the record of this stream that {@code line} is exactly, else -1. */
    private int recordIndex(String line) {
        String prefix = "<" + id + "#";
        int colon = line.indexOf(':');
        if (!line.startsWith(prefix) || colon < 0) {
            return -1;
        }
        try {
            int i = Integer.parseInt(line.substring(prefix.length(), colon));
            return i >= 0 && line.equals(new String(record(id, i), StandardCharsets.UTF_8)) ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether a record of this stream starts at {@code position}. */
    boolean isRecordStart(long position) {
        long at = 0;
        for (int i = 0; at < position; i++) {
            at += record(id, i).length;
        }
        return at == position;
    }

    byte[] expected(int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            out.writeBytes(record(id, i));
        }
        return out.toByteArray();
    }
}
