package io.durablestreams.store.file;

import static io.durablestreams.store.file.StoreFixture.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.store.RecoveredStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both startup paths over the layout {@link StartupBenchmark} generates (a small count here). */
class StartupTest {
    @TempDir
    Path dir;

    @Test
    void cleanAndCrashedStartsRecoverTheSameStreams() throws IOException {
        StartupBenchmark.generate(dir, 300);

        FileStorage clean = new FileStorage(FileStoreConfig.defaults(dir));
        List<RecoveredStream> fromCatalog = clean.recover();
        assertThat(fromCatalog).hasSize(300);
        assertThat(Files.exists(dir.resolve(StoreFiles.CLEAN_SHUTDOWN))).as("marker removed before any write").isFalse();
        RecoveredStream first = fromCatalog.get(0);
        assertThat(readAll(first.log())).isEqualTo("{\"n\":1},");
        assertThat(first.log().isMessageBoundary(first.log().tail())).isTrue();
        clean.abandon();

        FileStorage crashed = new FileStorage(FileStoreConfig.defaults(dir));
        List<RecoveredStream> scanned = crashed.recover();
        assertThat(scanned).hasSize(300);
        assertThat(scanned.get(299).producers().get("p")).containsExactly(0, 0);
        assertThat(crashed.nextIncarnation().join()).isGreaterThan(300);
        crashed.close();
    }
}
