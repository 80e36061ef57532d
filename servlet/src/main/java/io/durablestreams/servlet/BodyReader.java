package io.durablestreams.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Reads a request body with non-blocking I/O: the container calls back when bytes arrive, so a
 * slow client holds no thread while it sends. At most {@code maxBytes} are kept; a body beyond
 * that ends the read as too large. Exactly one of the outcomes is reported, on a container thread.
 */
final class BodyReader implements ReadListener {
    /** The outcomes of one read. */
    interface Outcome {
        void complete(byte[] body);

        void tooLarge();

        void failed(Throwable error);
    }

    private final ServletInputStream in;
    private final int maxBytes;
    private final Outcome outcome;
    private final ByteArrayOutputStream body;
    private final byte[] buffer = new byte[16 * 1024];
    private boolean done;

    /** @param expectedBytes the declared Content-Length, or -1 */
    BodyReader(ServletInputStream in, int maxBytes, long expectedBytes, Outcome outcome) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.outcome = outcome;
        this.body = new ByteArrayOutputStream((int) Math.min(Math.max(expectedBytes, 256), maxBytes));
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!done && in.isReady()) {
            int n = in.read(buffer);
            if (n < 0) {
                return; // the container calls onAllDataRead
            }
            if (body.size() + n > maxBytes) {
                done = true;
                outcome.tooLarge();
                return;
            }
            body.write(buffer, 0, n);
        }
    }

    @Override
    public void onAllDataRead() {
        if (!done) {
            done = true;
            outcome.complete(body.toByteArray());
        }
    }

    @Override
    public void onError(Throwable t) {
        if (!done) {
            done = true;
            outcome.failed(t);
        }
    }
}
