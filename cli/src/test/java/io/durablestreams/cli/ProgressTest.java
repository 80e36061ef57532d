package io.durablestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicLong clock = new AtomicLong(1_000_000);

    @Test
    void drawsABarWhenTheTotalIsKnownOnlyAfterTheDelay() {
        Progress progress = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), "write", 4 << 20,
                clock::get);

        progress.advance(1 << 20);
        assertThat(err.size()).as("quick transfers draw nothing").isZero();
        clock.addAndGet(2000);
        progress.advance(1 << 20);
        progress.close();

        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("write [###############---------------]  50%  2.0 MiB / 4.0 MiB  1.0 MiB/s")
                .endsWith("\r\033[2K");
    }

    @Test
    void countsBytesWhenTheTotalIsUnknown() {
        Progress progress = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), "read", -1, clock::get);
        clock.addAndGet(1000);
        progress.advance(1536);

        assertThat(progress.line(clock.get())).isEqualTo("read 1.5 KiB  1.5 KiB/s");
    }

    @Test
    void neverDrawsWhenStderrIsNotATerminal() {
        Io pipe = new Io(null, null, new PrintStream(err), Map.of(), false, false, -1);

        assertThat(Progress.on(pipe, "read", -1)).isSameAs(Progress.NONE);
    }
}
