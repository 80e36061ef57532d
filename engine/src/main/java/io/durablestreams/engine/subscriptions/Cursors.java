package io.durablestreams.engine.subscriptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.durablestreams.protocol.Offset;
import java.util.Map;

/**
 * A subscription's stream links against the streams' acknowledged tails (PROTOCOL.md §6.1, §7):
 * linking at the tail, pending work, the snapshot a wake shows, and acks. An ack refers to one
 * incarnation of a stream: a recreated stream is pending from its start.
 */
final class Cursors {
    private final StreamDirectory streams;
    private final ObjectMapper json;

    Cursors(StreamDirectory streams, ObjectMapper json) {
        this.streams = streams;
        this.json = json;
    }

    /** Links a stream acknowledged up to its current tail (nothing historical is pending). */
    Subscription.Link linkAtTail(Subscription s, String path) {
        Subscription.Link link = new Subscription.Link();
        StreamDirectory.Tail tail = streams.tail(path);
        if (tail != null) {
            link.ackedIncarnation = tail.incarnation();
            link.ackedPosition = tail.position();
            link.ackedOffset = tail.offset();
        }
        s.links.put(path, link);
        return link;
    }

    boolean hasPending(Subscription s) {
        return firstPending(s) != null;
    }

    /** How many linked streams have unacknowledged data. */
    int pendingCount(Subscription s) {
        int n = 0;
        for (Map.Entry<String, Subscription.Link> e : s.links.entrySet()) {
            if (pending(e.getValue(), streams.tail(e.getKey()))) {
                n++;
            }
        }
        return n;
    }

    /** The first linked stream with unacknowledged data, or null. */
    String firstPending(Subscription s) {
        for (Map.Entry<String, Subscription.Link> e : s.links.entrySet()) {
            if (pending(e.getValue(), streams.tail(e.getKey()))) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Every linked stream as a wake or claim shows it; remembers the tails shown in {@code s.snapshot}. */
    ArrayNode snapshot(Subscription s) {
        ArrayNode out = json.createArrayNode();
        s.snapshot.clear();
        s.links.forEach((path, link) -> {
            StreamDirectory.Tail tail = streams.tail(path);
            if (tail == null) {
                return;
            }
            s.snapshot.put(path, tail.offset());
            out.addObject().put("path", path).put("link_type", link.type()).put("acked_offset", ackedOffset(link, tail))
                    .put("tail_offset", tail.offset()).put("has_pending", pending(link, tail));
        });
        return out;
    }

    /** The links as GET shows them. */
    ArrayNode view(Subscription s) {
        ArrayNode out = json.createArrayNode();
        s.links.forEach((path, link) -> out.addObject().put("path", path).put("link_type", link.type())
                .put("acked_offset", ackedOffset(link, streams.tail(path))));
        return out;
    }

    /** Acknowledges the tails of the current snapshot (a webhook's {@code {"done":true}}). */
    void ackSnapshot(Subscription s) {
        s.snapshot.forEach((path, offset) -> ack(s, path, offset));
    }

    /** Moves a link's acked offset forward (never past the tail; a new incarnation starts over). */
    void ack(Subscription s, String path, String offsetText) {
        Subscription.Link link = s.links.get(path);
        Offset offset = Offset.parse(offsetText);
        StreamDirectory.Tail tail = streams.tail(path);
        if (link == null || offset == null || tail == null) {
            return;
        }
        long position = Math.min(offset.position(), tail.position());
        boolean sameStream = link.ackedIncarnation == tail.incarnation();
        if (!sameStream || position > link.ackedPosition) {
            link.ackedIncarnation = tail.incarnation();
            link.ackedPosition = position;
            link.ackedOffset = position == tail.position() ? tail.offset() : offsetText;
        }
    }

    private static boolean pending(Subscription.Link link, StreamDirectory.Tail tail) {
        if (tail == null) {
            return false;
        }
        long acked = tail.incarnation() == link.ackedIncarnation ? link.ackedPosition : 0;
        return tail.position() > acked;
    }

    private static String ackedOffset(Subscription.Link link, StreamDirectory.Tail tail) {
        return tail != null && tail.incarnation() != link.ackedIncarnation ? "-1" : link.ackedOffset;
    }
}
