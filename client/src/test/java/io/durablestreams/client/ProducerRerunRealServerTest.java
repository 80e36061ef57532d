package io.durablestreams.client;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.server.DurableStreamsServer;
import io.durablestreams.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Producers that start at an epoch an earlier run already used, against the real server (memory store). */
class ProducerRerunRealServerTest {
    private DurableStreamsServer server;
    private DurableStreamsClient client;

    @BeforeEach
    void start() throws Exception {
        EngineConfig engine = EngineConfig.defaults();
        server = new DurableStreamsServer(ServerConfig.defaults().withPort(0).withEngine(engine),
                new StreamEngine(engine, new MemoryStorage(), System::currentTimeMillis, new SplittableRandom(1)))
                .start();
        client = DurableStreamsClient.newBuilder().baseUrl(server.url() + ServerConfig.DEFAULT_STREAM_ROOT).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The README's "Java client in ten lines", writing half. */
    private void readmeRun(String text) {
        DurableStream chat = client.stream("chat");
        chat.create(CreateOptions.newBuilder().contentType("application/json").build());
        try (IdempotentProducer p = chat.producer(ProducerOptions.newBuilder("bot-1").autoClaim(true).build())) {
            p.appendJson(Map.of("text", text));
        }
    }

    private List<Object> messages(String stream) {
        try (ReadResponse r = client.stream(stream).read(ReadOptions.newBuilder().offset(Offsets.BEGINNING).build())) {
            return r.readAllJson();
        }
    }

    @Test
    void theReadmeProducerRunTwiceWritesBothMessages() {
        readmeRun("hello");
        readmeRun("hello");

        assertThat(messages("chat")).containsExactly(Map.of("text", "hello"), Map.of("text", "hello"));
    }

    @Test
    void aSecondRunAtTheSameEpochWithoutAutoClaimFailsInsteadOfDroppingItsData() {
        DurableStream s = client.stream("jobs");
        s.create(CreateOptions.newBuilder().contentType("application/json").build());
        try (IdempotentProducer p = s.producer(ProducerOptions.newBuilder("etl").epoch(4).build())) {
            p.appendJson(1);
        }

        IdempotentProducer second = s.producer(ProducerOptions.newBuilder("etl").epoch(4).build());
        second.appendJson(2);
        assertThatThrownBy(second::close).isInstanceOfSatisfying(ProducerDuplicateException.class, e -> {
            assertThat(e.producerId()).isEqualTo("etl");
            assertThat(e.epoch()).isEqualTo(4);
            assertThat(e.seq()).isZero();
        });
        assertThat(messages("jobs")).containsExactly(1L);
    }

    @Test
    void aRerunOfTheSameInputWithDeduplicateAcrossRunsAppendsOnlyWhatWasMissing() {
        DurableStream s = client.stream("events");
        s.create(CreateOptions.newBuilder().contentType("application/json").build());
        ProducerOptions options = ProducerOptions.newBuilder("loader").lingerMs(0).maxBatchItems(1)
                .deduplicateAcrossRuns(true).build();
        try (IdempotentProducer p = s.producer(options)) {
            p.appendJson(1);
            p.appendJson(2);
        }
        try (IdempotentProducer p = s.producer(options)) {
            for (int i = 1; i <= 4; i++) {
                p.appendJson(i);
            }
            p.flush();
            assertThat(p.deduplicatedItems()).isEqualTo(2);
        }
        assertThat(messages("events")).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void closingWithoutDataIsASuccessNotADuplicate() {
        // The server answers a close without data 204 (§5.3), also at a producer's first try.
        for (boolean autoClaim : new boolean[] {false, true}) {
            DurableStream s = client.stream("closed-" + autoClaim);
            s.create(CreateOptions.newBuilder().contentType("application/json").build());
            try (IdempotentProducer p = s.producer(ProducerOptions.newBuilder("closer").autoClaim(autoClaim).build())) {
                p.appendJson(1);
                assertThat(p.closeStream().closed()).isTrue();
                assertThat(p.epoch()).isZero();
            }
            try (ReadResponse r = s.read()) {
                assertThat(r.readAllJson()).containsExactly(1L);
                assertThat(r.closed()).isTrue();
            }
            DurableStream empty = client.stream("closed-empty-" + autoClaim);
            empty.create(CreateOptions.newBuilder().contentType("application/json").build());
            try (IdempotentProducer p = empty.producer(ProducerOptions.newBuilder("closer").autoClaim(autoClaim)
                    .build())) {
                assertThat(p.closeStream().closed()).isTrue();
                assertThat(p.epoch()).isZero();
            }
            assertThat(empty.head().closed()).isTrue();
        }
    }
}
