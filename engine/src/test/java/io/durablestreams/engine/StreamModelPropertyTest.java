package io.durablestreams.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.http.Response;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random append/read/close sequences against a model (a string): every offset the server returns
 * reads back exactly the model's suffix from that point, in bounded chunks, and offsets only grow.
 * A failing case prints its seed; replay it with {@code @Property(seed = "...")}.
 */
class StreamModelPropertyTest {
    sealed interface Op permits Append, ReadFrom, Close {}

    record Append(String text) implements Op {}

    record ReadFrom(int checkpointIndex) implements Op {}

    record Close() implements Op {}

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> append = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(40).map(Append::new);
        Arbitrary<Op> read = Arbitraries.integers().between(0, 1000).map(ReadFrom::new);
        Arbitrary<Op> close = Arbitraries.just(new Close());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, append), net.jqwik.api.Tuple.of(3, read), net.jqwik.api.Tuple.of(1, close))
                .list().ofMaxSize(40);
    }

    @Property(tries = 200)
    void readsFromAnyReturnedOffsetMatchTheModel(@ForAll("operations") List<Op> ops) {
        try (EngineHarness h = new EngineHarness(EngineConfig.defaults().withReadChunkBytes(17))) {
            h.call("PUT", "s").header("content-type", "text/plain").send();
            StringBuilder model = new StringBuilder();
            List<String> offsets = new ArrayList<>();
            List<Integer> positions = new ArrayList<>();
            offsets.add("-1");
            positions.add(0);
            boolean closed = false;
            String last = "";
            for (Op op : ops) {
                if (op instanceof Append a) {
                    Response r = h.call("POST", "s").header("content-type", "text/plain").body(a.text()).send();
                    if (closed) {
                        assertThat(r.status()).isEqualTo(409);
                        continue;
                    }
                    assertThat(r.status()).isEqualTo(204);
                    model.append(a.text());
                    String next = r.headers().get("stream-next-offset");
                    assertThat(next.compareTo(last)).as("offsets only grow").isPositive();
                    last = next;
                    offsets.add(next);
                    positions.add(model.length());
                } else if (op instanceof ReadFrom rf) {
                    int i = rf.checkpointIndex() % offsets.size();
                    assertThat(readAll(h, offsets.get(i), closed)).isEqualTo(model.substring(positions.get(i)));
                } else {
                    assertThat(h.call("POST", "s").header("stream-closed", "true").send().status()).isEqualTo(204);
                    closed = true;
                }
            }
            assertThat(readAll(h, "-1", closed)).isEqualTo(model.toString());
        }
    }

    /** Follows Stream-Next-Offset through bounded chunks until up to date; EOF exactly when closed. */
    private static String readAll(EngineHarness h, String offset, boolean closed) {
        StringBuilder out = new StringBuilder();
        for (int guard = 0; guard < 10_000; guard++) {
            Response r = h.call("GET", "s").param("offset", offset).send();
            assertThat(r.status()).isEqualTo(200);
            for (ByteBuffer b : r.body()) {
                out.append(StandardCharsets.UTF_8.decode(b.duplicate()));
            }
            offset = r.headers().get("stream-next-offset");
            if (r.headers().containsKey("stream-up-to-date")) {
                assertThat(r.headers().containsKey("stream-closed")).isEqualTo(closed);
                return out.toString();
            }
            assertThat(r.headers()).doesNotContainKey("stream-closed");
        }
        throw new AssertionError("never reached the tail");
    }
}
