package io.durablestreams.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

/** The I/O-error funnel tells a full disk and descriptor exhaustion from other errors. */
class StorageFailuresTest {

    @Test
    void classifiesByTheErrorTheKernelReported() {
        StorageIOException full = StorageFailures.wrap(new IOException("No space left on device"), "append to a.data");
        assertThat(full.diskFull()).isTrue();
        assertThat(full.outOfFileDescriptors()).isFalse();

        StorageIOException emfile = StorageFailures.wrap(
                new FileSystemException("/d/streams/0/1/stream.meta", null, "Too many open files"), "create stream");
        assertThat(emfile.outOfFileDescriptors()).isTrue();
        assertThat(emfile.diskFull()).isFalse();
        assertThat(emfile.getMessage()).isEqualTo("create stream: /d/streams/0/1/stream.meta: Too many open files");

        StorageIOException other = StorageFailures.wrap(new IOException("Input/output error"), "read");
        assertThat(other.diskFull()).isFalse();
        assertThat(other.outOfFileDescriptors()).isFalse();
    }
}
