package io.durablestreams.store.postgres;

import io.durablestreams.engine.store.ProducerTuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The payload of a notification on {@value ChangeListener#CHANNEL}: the committing node, the
 * stream and — after a write — the stream's committed writer state and, when they fit, the chunks
 * the commit added. With them a node wakes its readers without a query: that is most of the
 * latency of a wake-up across nodes. Notifications of one stream arrive in commit order (its row
 * is locked from decision to commit), so the last one heard is the newest state.
 *
 * <p>Format, fields separated by single spaces: node, name, then for a write incarnation, tail,
 * closed (0/1), closing producer id, epoch and seq, last {@code Stream-Seq}, then one field per
 * chunk {@code start:end:messageEnds:data}. Strings and data are base64url (they may hold any
 * character); "-" stands for null; message ends are comma-separated.
 */
record ChangeNote(String nodeId, String name, State state, List<ChunkRow> chunks) {
    /** A stream incarnation's writer state as a commit left it. */
    record State(long incarnation, long tail, boolean closed, ProducerTuple closedBy, String lastStreamSeq) {
    }

    /** PostgreSQL refuses payloads of 8000 bytes or more; chunks that would not fit stay out. */
    static final int MAX_PAYLOAD = 7_900;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** A change of which other nodes learn only the stream's name (creation, deletion). */
    static String nameOnly(String nodeId, String name) {
        return nodeId + ' ' + text(name);
    }

    /** A write's note: the row as committed and as many of {@code chunks} (in order) as fit. */
    static String write(String nodeId, StreamRow row, List<ChunkRow> chunks) {
        StringBuilder sb = new StringBuilder(128).append(nodeId).append(' ').append(text(row.name()))
                .append(' ').append(row.incarnation()).append(' ').append(row.tail()).append(' ').append(row.closed() ? '1' : '0');
        ProducerTuple by = row.closedBy();
        sb.append(' ').append(by == null ? "-" : text(by.id())).append(' ').append(by == null ? "-" : Long.toString(by.epoch()))
                .append(' ').append(by == null ? "-" : Long.toString(by.seq()))
                .append(' ').append(row.lastStreamSeq() == null ? "-" : text(row.lastStreamSeq()));
        for (ChunkRow c : chunks) {
            // base64 grows data by a third: skip the encoding of what cannot fit anyway
            if (sb.length() + 64 + (c.data().length * 4L + 2) / 3 > MAX_PAYLOAD) {
                break;
            }
            int mark = sb.length();
            sb.append(' ').append(c.start()).append(':').append(c.end()).append(':');
            if (c.messageEnds() == null) {
                sb.append('-');
            } else {
                for (int i = 0; i < c.messageEnds().length; i++) {
                    sb.append(i == 0 ? "" : ",").append(c.messageEnds()[i]);
                }
            }
            sb.append(':').append(ENCODER.encodeToString(c.data()));
            if (sb.length() > MAX_PAYLOAD) {
                sb.setLength(mark);
                break;
            }
        }
        return sb.toString();
    }

    /** Reads a payload; null when it is not one of ours (then nothing can be learned from it). */
    static ChangeNote parse(String payload) {
        try {
            String[] f = payload.split(" ");
            if (f.length == 2) {
                return new ChangeNote(f[0], untext(f[1]), null, List.of());
            }
            if (f.length < 9) {
                return null;
            }
            String name = untext(f[1]);
            ProducerTuple by = f[5].equals("-") ? null : new ProducerTuple(untext(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]));
            String streamSeq = f[8].equals("-") ? null : untext(f[8]);
            State state = new State(Long.parseLong(f[2]), Long.parseLong(f[3]), f[4].equals("1"), by, streamSeq);
            List<ChunkRow> chunks = new ArrayList<>(f.length - 9);
            for (int i = 9; i < f.length; i++) {
                String[] c = f[i].split(":", 4);
                chunks.add(new ChunkRow(Long.parseLong(c[0]), Long.parseLong(c[1]), ends(c[2]), DECODER.decode(c[3])));
            }
            return new ChangeNote(f[0], name, state, chunks);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int[] ends(String field) {
        if (field.equals("-")) {
            return null;
        }
        String[] parts = field.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i]);
        }
        return out;
    }

    private static String text(String s) {
        return ENCODER.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String untext(String s) {
        return new String(DECODER.decode(s), StandardCharsets.UTF_8);
    }
}
