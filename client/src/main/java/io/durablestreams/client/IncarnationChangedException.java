package io.durablestreams.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A write carried the incarnation its writer pinned, and the stream at the URL is another one: it was
 * deleted (or expired) and created again (HTTP 412 of type {@code incarnation-mismatch},
 * stream-incarnations extension). The server wrote nothing.
 *
 * <p>What to do: decide whether the data belongs in the new stream. For a {@link DurableStream} write,
 * call {@link DurableStream#connect()} to pin the new incarnation and write again. An
 * {@link IdempotentProducer} fails with this exception listing every item it did not deliver
 * ({@link #undeliveredItems()}); call {@link IdempotentProducer#continueOnNewIncarnation()} and append
 * again what should go to the new stream.
 */
public final class IncarnationChangedException extends DurableStreamException {
    private final String pinnedIncarnation;
    private final String currentIncarnation;
    private final List<byte[]> undeliveredItems;

    IncarnationChangedException(String message, int status, URI url, String pinnedIncarnation,
                                String currentIncarnation, List<byte[]> undeliveredItems) {
        super(message, status, url, null);
        this.pinnedIncarnation = pinnedIncarnation;
        this.currentIncarnation = currentIncarnation;
        this.undeliveredItems = List.copyOf(undeliveredItems);
    }

    /** The incarnation the writer pinned and sent. */
    public String pinnedIncarnation() {
        return pinnedIncarnation;
    }

    /** The stream's current incarnation, from the 412 response. */
    public String currentIncarnation() {
        return currentIncarnation;
    }

    /**
     * The items an {@link IdempotentProducer} had accepted but not delivered, in append order (copies);
     * empty for a plain {@link DurableStream} write, whose caller still holds its data. Items of batches
     * the old incarnation acknowledged before it went are not listed: they were delivered.
     */
    public List<byte[]> undeliveredItems() {
        List<byte[]> copies = new ArrayList<>(undeliveredItems.size());
        undeliveredItems.forEach(item -> copies.add(item.clone()));
        return copies;
    }

    IncarnationChangedException withUndelivered(List<byte[]> items) {
        return new IncarnationChangedException(getMessage() + "; " + items.size() + " item(s) not delivered",
                status(), url(), pinnedIncarnation, currentIncarnation, items);
    }
}
