package io.durablestreams.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.server.DurableStreamsServer;
import io.durablestreams.server.ServerConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Typed JSON reads, async calls, read completion, producer introspection and problem types, against a real server. */
class ClientApiTest {
    private static DurableStreamsServer server;
    private static DurableStreamsClient client;
    private static final AtomicInteger names = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        EngineConfig engine = EngineConfig.defaults().withLongPollTimeoutMillis(500);
        server = new DurableStreamsServer(ServerConfig.defaults().withPort(0).withEngine(engine),
                new StreamEngine(engine, new MemoryStorage(), System::currentTimeMillis, RandomGenerator.getDefault())).start();
        client = DurableStreamsClient.newBuilder().baseUrl(server.url() + "/v1/stream").build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static DurableStream jsonStream() {
        DurableStream s = client.stream("api-" + names.incrementAndGet());
        s.create(CreateOptions.newBuilder().contentType("application/json").build());
        return s;
    }

    @Test
    void typedReadsConvertEveryMessageWithTheCodec() {
        DurableStream s = jsonStream();
        s.appendJson(Map.of("n", 1));
        s.append("[{\"n\":2},{\"n\":3}]");

        try (ReadResponse r = s.read()) {
            assertThat(r.readAllJson(Map.class)).containsExactly(Map.of("n", 1L), Map.of("n", 2L), Map.of("n", 3L));
        }
        try (ReadResponse r = s.read(); CloseableIterator<JsonBatch<Map>> batches = r.jsonBatches(Map.class)) {
            JsonBatch<Map> batch = batches.next();
            assertThat(batch.messages()).hasSize(3);
            assertThat(batch.offset()).isEqualTo(r.offset());
        }
    }

    @Test
    void aMessageTheCodecCannotConvertFailsTheReadNamingTheType() {
        DurableStream s = jsonStream();
        s.appendJson("just text");

        try (ReadResponse r = s.read()) {
            assertThatThrownBy(() -> r.readAllJson(Map.class)).isInstanceOf(ParseException.class)
                    .hasMessageContaining("is not a Map").hasMessageContaining("JacksonJsonCodec");
        }
    }

    @Test
    void asyncCallsCompleteWithTheResultsOrTheTypedFailures() {
        DurableStream s = client.stream("api-async-" + names.incrementAndGet());
        assertThat(s.createAsync(CreateOptions.newBuilder().contentType("text/plain").build()).join().created()).isTrue();
        AppendResult appended = s.appendAsync("hello").join();
        assertThat(s.headAsync().join().nextOffset()).isEqualTo(appended.nextOffset());
        assertThat(s.closeAsync().join().closed()).isTrue();

        assertThatThrownBy(() -> s.appendAsync("late").join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(StreamClosedException.class);
        s.deleteAsync().join();
        assertThatThrownBy(() -> s.headAsync().join()).hasCauseInstanceOf(StreamNotFoundException.class);
    }

    @Test
    void failuresCarryTheServersProblemType() {
        DurableStream s = client.stream("api-problem-" + names.incrementAndGet());
        s.create(CreateOptions.newBuilder().contentType("text/plain").build());
        s.append("a", AppendOptions.newBuilder().seq("5").build());

        assertThatThrownBy(() -> s.append("b", AppendOptions.newBuilder().seq("4").build()))
                .isInstanceOfSatisfying(SequenceConflictException.class,
                        e -> assertThat(e.problemType()).isEqualTo("sequence-conflict"));
        assertThatThrownBy(() -> s.read(ReadOptions.newBuilder().offset("bogus").build()))
                .isInstanceOfSatisfying(InvalidOffsetException.class,
                        e -> assertThat(e.problemType()).isEqualTo("invalid-offset"));
    }

    @Test
    void doneCompletesWithTheFinalOffsetWhenALiveReadReachesEof() throws Exception {
        DurableStream s = jsonStream();
        s.appendJson(Map.of("n", 1));
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (ReadResponse r = s.read(ReadOptions.newBuilder().live(LiveMode.LONG_POLL).build())) {
            r.subscribe(chunk -> seen.add(chunk.text()));
            CompletableFuture<String> done = r.done();
            assertThat(done).isNotDone();
            String end = s.close().nextOffset();

            assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo(end);
            assertThat(seen).contains("[{\"n\":1}]");
        }
    }

    @Test
    void doneCompletesWhenALiveReadIsClosedAndFailsWithWhatEndedIt() {
        DurableStream s = jsonStream();
        s.appendJson(Map.of("n", 1));
        ReadResponse closedByUs = s.read(ReadOptions.newBuilder().live(LiveMode.LONG_POLL).build());
        closedByUs.close();
        assertThat(closedByUs.done().join()).isEqualTo(closedByUs.offset());

        try (ReadResponse r = s.read(ReadOptions.newBuilder().live(LiveMode.LONG_POLL).build());
             CloseableIterator<Chunk> chunks = r.chunks()) {
            chunks.next(); // the catch-up
            s.delete();

            assertThatThrownBy(chunks::hasNext).isInstanceOf(StreamNotFoundException.class);
            assertThatThrownBy(() -> r.done().join()).hasCauseInstanceOf(StreamNotFoundException.class);
        }
    }

    @Test
    void producerReportsPendingItemsNextSeqAndItsFirstFailure() throws Exception {
        DurableStream s = jsonStream();
        CompletableFuture<DurableStreamException> failed = new CompletableFuture<>();
        try (IdempotentProducer p = s.producer(ProducerOptions.newBuilder("api-producer").lingerMs(60_000)
                .onError(failed::complete).build())) {
            p.appendJson(Map.of("n", 1));
            p.appendJson(Map.of("n", 2));
            assertThat(p.pendingCount()).isEqualTo(2);
            assertThat(p.nextSeq()).isZero();
            p.flush();
            assertThat(p.pendingCount()).isZero();
            assertThat(p.nextSeq()).isEqualTo(1);

            s.close();
            p.appendJson(Map.of("n", 3));
            assertThatThrownBy(p::flush).isInstanceOf(StreamClosedException.class);
            assertThat(failed.get(10, TimeUnit.SECONDS)).isInstanceOf(StreamClosedException.class);
            assertThat(p.pendingCount()).isZero();
        }
    }
}
