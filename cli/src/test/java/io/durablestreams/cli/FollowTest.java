package io.durablestreams.cli;

import static io.durablestreams.cli.StreamCommandsTest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ds read --follow} receives data appended while it runs and exits 0 when the stream is closed. */
class FollowTest extends ServerBackedTest {
    private static final long TIMEOUT_SECONDS = 20;
    @ParameterizedTest
    @ValueSource(strings = {"auto", "long-poll", "sse"})
    void followReceivesLaterAppendsAndEndsAtClose(String live) throws Exception {
        String stream = "follow-" + live;
        ok(ds.run("create", stream, "-t", "application/json"));
        ok(ds.run("write", stream, "\"before\""));
        AwaitableOutput out = new AwaitableOutput();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> ds.run(
                new ByteArrayInputStream(new byte[0]), out, err, "read", stream, "--follow", "--live", live,
                "--ndjson", "--print-offset"));
        out.await("\"before\"\n");
        // The reader has caught up and is following: what comes now can only arrive live.
        ok(ds.run("write", stream, "\"later\""));
        out.await("\"later\"\n");
        ok(ds.run("close", stream, "\"last\""));

        assertThat(reader.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.text()).isEqualTo("\"before\"\n\"later\"\n\"last\"\n");
        String finalOffset = StreamCommandsTest.lastLine(err.toString(StandardCharsets.UTF_8));
        assertThat(ok(ds.run("head", stream)).out()).contains("next-offset   " + finalOffset);
    }

    /** Standard output that a test can wait on until some text has been written. */
    static final class AwaitableOutput extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            notifyAll();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        synchronized void await(String expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!text().contains(expected)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + expected + " in output: " + text());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
