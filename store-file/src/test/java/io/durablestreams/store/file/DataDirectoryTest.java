package io.durablestreams.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a data directory: the lock, unusable directories, and what startup says about the previous run. */
class DataDirectoryTest {
    private static final String UNCLEAN = "was not shut down cleanly";
    private final Logger jul = Logger.getLogger(FileStorage.class.getName());
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @TempDir
    Path dir;

    @BeforeEach
    void captureLog() {
        jul.addHandler(capture);
        jul.setUseParentHandlers(false);
    }

    @AfterEach
    void releaseLog() {
        jul.removeHandler(capture);
        jul.setUseParentHandlers(true);
    }

    @Test
    void onlyARunThatWasNotShutDownCleanlyIsReportedAsSuch() {
        new FileStorage(FileStoreConfig.defaults(dir)).close();
        new FileStorage(FileStoreConfig.defaults(dir.resolve("not/yet/there"))).close();
        assertThat(logged).as("new directories").noneMatch(m -> m.contains(UNCLEAN));

        FileStorage store = new FileStorage(FileStoreConfig.defaults(dir));
        store.abandon();
        new FileStorage(FileStoreConfig.defaults(dir)).close();
        assertThat(logged).filteredOn(m -> m.contains(UNCLEAN)).hasSize(1);

        logged.clear();
        new FileStorage(FileStoreConfig.defaults(dir)).close();
        assertThat(logged).as("after a clean shutdown").noneMatch(m -> m.contains(UNCLEAN));
    }

    @Test
    void aDirectoryInUseIsRefusedWithOneClearMessage() {
        FileStorage first = new FileStorage(FileStoreConfig.defaults(dir));
        assertThatThrownBy(() -> new FileStorage(FileStoreConfig.defaults(dir)))
                .isInstanceOf(DataDirectoryException.class)
                .hasMessage("data directory " + dir + " is in use by another process (lock held on " + dir.resolve("lock") + ")");
        first.close();
        new FileStorage(FileStoreConfig.defaults(dir)).close();
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsRefusedWithOneClearMessage() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> new FileStorage(FileStoreConfig.defaults(file)))
                .isInstanceOf(DataDirectoryException.class)
                .hasMessage("cannot use data directory " + file + ": " + file + ": not a directory");
        assertThatThrownBy(() -> new FileStorage(FileStoreConfig.defaults(file.resolve("sub"))))
                .isInstanceOf(DataDirectoryException.class)
                .hasMessageStartingWith("cannot use data directory " + file.resolve("sub") + ": ")
                .hasMessageContaining("Not a directory");
    }
}
