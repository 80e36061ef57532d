package io.durablestreams.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine over the file store when the disk fills up: 507-class failure, nothing changes, appends resume. */
class EngineOnFileStoreTest {
    @TempDir
    Path dir;

    private static Response call(StreamEngine engine, String method, String stream, String body, Map<String, String> headers) {
        Request r = new Request(method, stream, Map.of("offset", List.of("-1")), headers::get,
                body.getBytes(StandardCharsets.UTF_8), "http://test/v1/stream/", null);
        return engine.handle(r).join();
    }

    private static String text(Response r) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuffer b : r.body()) {
            sb.append(StandardCharsets.UTF_8.decode(b.duplicate()));
        }
        return sb.toString();
    }

    @Test
    void aFullDiskFailsOneAppendLeavesStateUntouchedAndAppendsResume() {
        FaultyChannel.Faults faults = new FaultyChannel.Faults();
        FileStorage storage = new FileStorage(StoreFixture.config(dir).withOpener(FaultyChannel.opener(faults)));
        try (StreamEngine engine = new StreamEngine(EngineConfig.defaults(), storage, System::currentTimeMillis, new SplittableRandom(1))) {
            Map<String, String> text = Map.of("content-type", "text/plain");
            Map<String, String> producer = Map.of("content-type", "text/plain", "producer-id", "p", "producer-epoch", "0", "producer-seq", "0");
            assertThat(call(engine, "PUT", "s", "a", text).status()).isEqualTo(201);

            faults.onWrite = new IOException("No space left on device");
            assertThatThrownBy(() -> call(engine, "POST", "s", "lost", producer))
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(StorageFullException.class);
            faults.onWrite = null;

            assertThat(text(call(engine, "GET", "s", "", Map.of()))).isEqualTo("a");
            // the failed producer batch was not recorded: the retry is accepted, not answered as a duplicate
            assertThat(call(engine, "POST", "s", "b", producer).status()).isEqualTo(200);
            assertThat(text(call(engine, "GET", "s", "", Map.of()))).isEqualTo("ab");
        }
    }
}
