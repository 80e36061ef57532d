package io.durablestreams.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * A response body written with non-blocking I/O: buffers are queued, and written and flushed only
 * while {@link ServletOutputStream#isReady()}; when the container cannot take more, the rest waits
 * for {@link #onWritePossible()} instead of blocking a thread on a slow client. Every method runs
 * on the exchange's {@link SerialExecutor}; the container's callbacks are moved there.
 */
final class AsyncOutput implements WriteListener {
    /** What the owner of the output learns. */
    interface Listener {
        /** Everything queued so far is written and flushed. */
        void drained();

        /** The connection failed (the client went away); nothing more will be written. */
        void failed(Throwable error);
    }

    /** Queued buffers up to this many bytes together are copied into one write: {@value}. */
    static final int GATHER_BYTES = 16 * 1024;

    private final ServletOutputStream out;
    private final Executor serial;
    private final Listener listener;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long writtenBytes;
    private boolean flushNeeded;
    private boolean failed;

    AsyncOutput(ServletOutputStream out, Executor serial, Listener listener) {
        this.out = out;
        this.serial = serial;
        this.listener = listener;
    }

    /** Starts the output; the container then calls {@link #onWritePossible()} once it can take bytes. */
    void start() {
        out.setWriteListener(this);
    }

    /** Queues bytes without copying (the engine never changes a buffer it handed out); {@link #drain()} sends them. */
    void enqueue(ByteBuffer bytes) {
        if (!failed && bytes.hasRemaining()) {
            ByteBuffer b = bytes.duplicate();
            queue.add(b);
            queuedBytes += b.remaining();
        }
    }

    long queuedBytes() {
        return queuedBytes;
    }

    long writtenBytes() {
        return writtenBytes;
    }

    /** Writes and flushes what the container takes now; the rest goes on {@link #onWritePossible()}. */
    void drain() {
        if (failed) {
            return;
        }
        try {
            while (out.isReady()) {
                ByteBuffer next = nextWrite();
                if (next != null) {
                    queuedBytes -= next.remaining();
                    writtenBytes += next.remaining();
                    out.write(next);
                    flushNeeded = true;
                } else if (flushNeeded) {
                    flushNeeded = false;
                    out.flush();
                } else {
                    listener.drained();
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            fail(e);
        }
    }

    /**
     * The next buffer to write: small queued buffers are gathered into one, so that what the engine
     * flushes at once (an SSE data event and its control event) leaves in one network write, as
     * the Netty binding's gathering write does; a client reading one chunk sees both.
     */
    private ByteBuffer nextWrite() {
        ByteBuffer first = queue.poll();
        if (first == null || queue.isEmpty() || first.remaining() + queue.peek().remaining() > GATHER_BYTES) {
            return first;
        }
        int total = first.remaining();
        int count = 1;
        for (ByteBuffer b : queue) {
            if (total + b.remaining() > GATHER_BYTES) {
                break;
            }
            total += b.remaining();
            count++;
        }
        ByteBuffer gathered = ByteBuffer.allocate(total).put(first);
        for (int i = 1; i < count; i++) {
            gathered.put(queue.poll());
        }
        return gathered.flip();
    }

    @Override
    public void onWritePossible() {
        serial.execute(this::drain);
    }

    @Override
    public void onError(Throwable t) {
        serial.execute(() -> fail(t));
    }

    private void fail(Throwable t) {
        if (!failed) {
            failed = true;
            queue.clear();
            queuedBytes = 0;
            listener.failed(t);
        }
    }
}
