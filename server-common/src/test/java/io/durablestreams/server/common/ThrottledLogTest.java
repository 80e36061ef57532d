package io.durablestreams.server.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.store.StorageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

/** Storage failures are logged as one line each, at most one line per kind per interval. */
class ThrottledLogTest {
    private final List<Line> lines = new ArrayList<>();
    private long now = 1_000_000;
    private final ThrottledLog log = new ThrottledLog(new Capture(), 10_000, () -> now);

    private record Line(System.Logger.Level level, String message, Throwable thrown) {}

    @Test
    void oneLinePerKindPerIntervalThenTheCountOfWhatWasLeftOut() {
        log.log(System.Logger.Level.WARNING, "a", "first", null);
        now += 9_999;
        for (int i = 0; i < 92; i++) {
            log.log(System.Logger.Level.WARNING, "a", "more", null);
        }
        log.log(System.Logger.Level.WARNING, "b", "another kind", null);
        now += 1;
        log.log(System.Logger.Level.WARNING, "a", "later", null);
        assertThat(lines).extracting(Line::message)
                .containsExactly("first", "another kind", "later (and 92 more like it since the previous line)");
        now += 10_000;
        log.log(System.Logger.Level.WARNING, "a", "quiet since", null);
        assertThat(lines.get(3).message()).isEqualTo("quiet since");
    }

    @Test
    void aFullDiskIsOneLineWithoutAStackTraceAndABugKeepsItsStackTrace() {
        StorageException full = new StorageException("append of 5 bytes of stream 1 (\"s\"): No space left on device",
                new IOException("No space left on device")) {
            @Override
            public boolean diskFull() {
                return true;
            }
        };
        for (int i = 0; i < 93; i++) {
            assertThat(StorageFailure.report(new RuntimeException(full), log).status()).isEqualTo(507);
        }
        StorageFailure io = StorageFailure.report(new StorageException("read failed", new IOException("EIO")), log);
        IllegalStateException bug = new IllegalStateException("bug");
        StorageFailure unexpected = StorageFailure.report(bug, log);

        assertThat(io.status()).isEqualTo(500);
        assertThat(unexpected.status()).isEqualTo(500);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo(new Line(System.Logger.Level.WARNING,
                "request answered 507 insufficient-storage: append of 5 bytes of stream 1 (\"s\"): No space left on device", null));
        assertThat(lines.get(1)).isEqualTo(new Line(System.Logger.Level.WARNING,
                "request answered 500 storage-error: read failed", null));
        assertThat(lines.get(2).thrown()).isSameAs(bug);
        assertThat(lines.get(2).level()).isEqualTo(System.Logger.Level.ERROR);
    }

    private final class Capture implements System.Logger {
        @Override
        public String getName() {
            return "capture";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(new Line(level, msg, thrown));
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(new Line(level, format, null));
        }
    }
}
