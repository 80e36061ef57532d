package io.durablestreams.cli;

import io.durablestreams.client.AppendOptions;
import io.durablestreams.client.DurableStream;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Plain appends, one request at a time: at most once (a request that failed in flight is not retried).
 * On a JSON stream, consecutive messages are sent together as one array (the server flattens it, §9.1)
 * of up to {@code maxRequestBytes}; on other streams every item is one request. With {@code --if-tail}
 * every request is conditional on the tail the one before left: the input lands as one contiguous
 * run right after the given tail, or the write stops at the first request that finds another tail.
 */
final class PlainWriteTarget implements WriteTarget {
    private final DurableStream stream;
    private final String contentType;
    /** The tail the next request requires (--if-tail, then each request's new tail), or null. */
    private String expectedTail;
    private final boolean json;
    private final int maxRequestBytes;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private String lastOffset;
    /** Whether the next request starts a snapshot (--snapshot marks the first request of the write). */
    private boolean snapshot;

    PlainWriteTarget(DurableStream stream, String contentType, boolean json, int maxRequestBytes, String ifTail, boolean snapshot) {
        this.snapshot = snapshot;
        this.stream = stream;
        this.contentType = contentType;
        this.expectedTail = ifTail;
        this.json = json;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void add(byte[] item) {
        if (!json) {
            send(item);
            return;
        }
        if (pending.size() > 0 && pending.size() + item.length + 2 > maxRequestBytes) {
            sendPending();
        }
        pending.write(pending.size() == 0 ? '[' : ',');
        pending.writeBytes(item);
    }

    @Override
    public void addAtomically(List<byte[]> items) {
        sendPending();
        if (items.isEmpty()) {
            return;
        }
        if (!json) {
            throw new IllegalStateException("atomic batches are JSON arrays");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] item : items) {
            body.write(body.size() == 0 ? '[' : ',');
            body.writeBytes(item);
        }
        body.write(']');
        send(body.toByteArray());
    }

    @Override
    public void inputIdle() {
        sendPending();
    }

    @Override
    public String finish() {
        sendPending();
        return lastOffset;
    }

    @Override
    public void close() {
    }

    private void sendPending() {
        if (pending.size() > 0) {
            pending.write(']');
            send(pending.toByteArray());
            pending.reset();
        }
    }

    private void send(byte[] body) {
        AppendOptions.Builder options = AppendOptions.newBuilder().contentType(contentType);
        if (expectedTail != null) {
            options.ifTailAt(expectedTail);
        }
        options.snapshot(snapshot);
        snapshot = false;
        lastOffset = stream.append(body, options.build()).nextOffset();
        if (expectedTail != null) {
            expectedTail = lastOffset; // the write stays one contiguous run after the tail it was given
        }
    }
}
