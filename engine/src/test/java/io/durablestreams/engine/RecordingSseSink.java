package io.durablestreams.engine;

import io.durablestreams.engine.http.SseSink;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An SSE sink that records what was written and can simulate a full outbound buffer. */
final class RecordingSseSink implements SseSink {
    final StringBuilder written = new StringBuilder();
    boolean writable = true;
    boolean open = true;
    private Runnable writableTask;
    private final List<Runnable> closeTasks = new ArrayList<>();

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public void write(ByteBuffer bytes) {
        written.append(StandardCharsets.UTF_8.decode(bytes.duplicate()));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        if (open) {
            open = false;
            closeTasks.forEach(Runnable::run);
        }
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

    void becomeWritable() {
        writable = true;
        Runnable t = writableTask;
        writableTask = null;
        if (t != null) {
            t.run();
        }
    }

    /** Events as (type, data) pairs, data lines joined with LF, as an SSE parser would. */
    List<String[]> events() {
        List<String[]> out = new ArrayList<>();
        for (String block : written.toString().split("\n\n")) {
            String type = null;
            StringBuilder data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    type = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    String d = line.substring(5);
                    if (d.startsWith(" ")) {
                        d = d.substring(1);
                    }
                    data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
                }
            }
            if (type != null) {
                out.add(new String[] {type, data == null ? "" : data.toString()});
            }
        }
        return out;
    }
}
