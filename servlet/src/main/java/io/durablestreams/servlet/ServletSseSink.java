package io.durablestreams.servlet;

import io.durablestreams.engine.http.SseSink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An SSE session's view of its servlet response. Writes queue in the {@link AsyncOutput} and go out
 * with non-blocking I/O on {@link #flush()}; the session counts as writable while less than
 * {@value #HIGH_WATER_BYTES} bytes wait for the client, and is resumed once all are sent. Closing
 * completes the response after the queued bytes are written. Used only on the exchange's serial
 * executor.
 */
final class ServletSseSink implements SseSink {
    /** As the Netty binding's high water mark: {@value} bytes. */
    static final int HIGH_WATER_BYTES = 256 * 1024;

    private final AsyncOutput output;
    private final Runnable complete;
    private final List<Runnable> closeTasks = new ArrayList<>(1);
    private Runnable writableTask;
    private boolean open = true;
    private boolean completing;

    ServletSseSink(AsyncOutput output, Runnable complete) {
        this.output = output;
        this.complete = complete;
    }

    @Override
    public boolean isWritable() {
        return open && output.queuedBytes() < HIGH_WATER_BYTES;
    }

    @Override
    public void write(ByteBuffer bytes) {
        if (open) {
            output.enqueue(bytes);
        }
    }

    @Override
    public void flush() {
        if (open) {
            output.drain();
        }
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        completing = true;
        output.drain(); // completes once the queued events are out (drained)
        runCloseTasks();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void onWritable(Runnable task) {
        writableTask = task;
    }

    @Override
    public void onClose(Runnable task) {
        closeTasks.add(task);
    }

    /** Everything queued is written. */
    void drained() {
        if (completing) {
            completing = false;
            complete.run();
            return;
        }
        Runnable t = writableTask;
        if (t != null) {
            writableTask = null;
            t.run();
        }
    }

    /** The client went away (a write failed, or the container reported an error). */
    void closedByPeer() {
        Runnable t = writableTask;
        writableTask = null;
        if (open) {
            open = false;
            runCloseTasks();
        }
        if (t != null) {
            t.run(); // as on Netty: a session waiting for writability learns the connection closed
        }
    }

    private void runCloseTasks() {
        List<Runnable> tasks = new ArrayList<>(closeTasks);
        closeTasks.clear();
        tasks.forEach(Runnable::run);
    }
}
