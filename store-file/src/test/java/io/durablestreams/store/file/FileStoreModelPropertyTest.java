package io.durablestreams.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The engine over the file store (tiny segments, small read chunks) against a model, with crashes
 * (the store abandoned, as by kill -9) and reopen at random points: every offset handed out reads
 * back the model's suffix, before and after each restart.
 */
class FileStoreModelPropertyTest {
    @Provide
    Arbitrary<List<String>> steps() {
        Arbitrary<String> append = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(100);
        Arbitrary<String> crash = Arbitraries.just("<crash>");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, append), net.jqwik.api.Tuple.of(1, crash))
                .list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 30)
    void offsetsReadBackTheModelAcrossCrashes(@ForAll("steps") List<String> steps) throws IOException {
        Path dir = Files.createTempDirectory("ds-model");
        Opened s = null;
        try {
            s = open(dir);
            call(s.engine, "PUT", "", Map.of("content-type", "text/plain"), Map.of());
            StringBuilder model = new StringBuilder();
            List<String> offsets = new ArrayList<>(List.of("-1"));
            List<Integer> positions = new ArrayList<>(List.of(0));
            for (String step : steps) {
                if (step.equals("<crash>")) {
                    s.storage.abandon();
                    s.engine.close();
                    s = open(dir);
                } else {
                    Response r = call(s.engine, "POST", step, Map.of("content-type", "text/plain"), Map.of());
                    assertThat(r.status()).isEqualTo(204);
                    model.append(step);
                    offsets.add(r.headers().get("stream-next-offset"));
                    positions.add(model.length());
                }
                for (int i = 0; i < offsets.size(); i += Math.max(1, offsets.size() / 4)) {
                    assertThat(readAll(s.engine, offsets.get(i))).isEqualTo(model.substring(positions.get(i)));
                }
            }
        } finally {
            if (s != null) {
                s.engine.close(); // and its store
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private record Opened(FileStorage storage, StreamEngine engine) {}

    private static Opened open(Path dir) {
        FileStorage storage = new FileStorage(StoreFixture.config(dir));
        return new Opened(storage, new StreamEngine(EngineConfig.defaults().withReadChunkBytes(37), storage,
                System::currentTimeMillis, new SplittableRandom(3)));
    }

    private static Response call(StreamEngine e, String method, String body, Map<String, String> headers,
                                 Map<String, List<String>> query) {
        return e.handle(new Request(method, "s", query, headers::get, body.getBytes(StandardCharsets.UTF_8),
                "http://test/v1/stream/", null)).join();
    }

    private static String readAll(StreamEngine e, String offset) {
        StringBuilder out = new StringBuilder();
        for (int guard = 0; guard < 10_000; guard++) {
            Response r = call(e, "GET", "", Map.of(), Map.of("offset", List.of(offset)));
            assertThat(r.status()).isEqualTo(200);
            for (ByteBuffer b : r.body()) {
                out.append(StandardCharsets.UTF_8.decode(b.duplicate()));
            }
            offset = r.headers().get("stream-next-offset");
            if (r.headers().containsKey("stream-up-to-date")) {
                return out.toString();
            }
        }
        throw new AssertionError("never reached the tail");
    }
}
