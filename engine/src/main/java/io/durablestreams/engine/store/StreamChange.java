package io.durablestreams.engine.store;

/**
 * A change another node committed to a stream, as the shared store heard of it. When the store
 * knows the stream's committed writer state after the change (its notification carried it), it
 * names the node-wide log of that incarnation it has already brought up to date (tail, and the new
 * chunks when they were small enough to travel with the notification); a node whose entry uses
 * that very log takes the state in without asking the store. Otherwise {@code log} is null and
 * the node reloads the stream if anyone here waits on it.
 *
 * @param log the incarnation's log this state belongs to, or null when only the name is known
 */
public record StreamChange(String name, StreamLog log, long tail, boolean closed, ProducerTuple closedBy,
                           String lastStreamSeq) {

    /** A change of which only the stream's name is known (a creation, a deletion, a large write). */
    public static StreamChange of(String name) {
        return new StreamChange(name, null, 0, false, null, null);
    }
}
