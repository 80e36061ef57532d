package io.durablestreams.server.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.store.StorageException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Storage failures become the status a client can act on: never a 500 for overload. */
class StorageFailureTest {

    @Test
    void runningOutOfFileDescriptorsIsOverloadNotAServerError() {
        StorageException emfile = new StorageException("stream.meta: Too many open files",
                new IOException("/data/streams/x/stream.meta: Too many open files")) {
            @Override
            public boolean outOfFileDescriptors() {
                return true;
            }
        };
        StorageFailure f = StorageFailure.of(new CompletionException(emfile));
        assertThat(f.status()).isEqualTo(503);
        assertThat(f.type()).isEqualTo("overloaded");
        assertThat(f.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void otherIoErrorsStayStorageErrorsWithoutRetryAfter() {
        // the store classifies; a message that merely mentions descriptors is not overload
        StorageFailure f = StorageFailure.of(new StorageException("write failed: Too many open files", new IOException("Input/output error")));
        assertThat(f.status()).isEqualTo(500);
        assertThat(f.retryAfterSeconds()).isZero();
    }
}
