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
        this.id = id;
        this.kind = kind;
        // names are arbitrary strings: slashes, spaces, non-ASCII; never file paths on the server
        this.name = "crash/" + id + "/strøm " + kind.name().toLowerCase();
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

    byte[] expected(int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            out.writeBytes(record(id, i));
        }
        return out.toByteArray();
    }
}
