package io.durablestreams.incarnations;

import io.durablestreams.client.CreateOptions;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.IdempotentProducer;
import io.durablestreams.client.Offsets;
import io.durablestreams.client.ProducerDuplicateException;
import io.durablestreams.client.ProducerOptions;
import io.durablestreams.client.ReadOptions;
import io.durablestreams.client.ReadResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Producers of the Java client that start at an epoch an earlier run already used, against the real
 * server (memory store). Not about incarnations: this module is where the client meets the real server.
 */
class ProducerRerunTest {
    private RealServer server;

    @BeforeEach
    void start() throws Exception {
        server = new RealServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private DurableStream stream(String name) {
        return server.stream(name);
    }

    /** The README's "Java client in ten lines", writing half. */
    private void readmeRun(String text) {
        DurableStream chat = stream("chat");
        chat.create(CreateOptions.newBuilder().contentType("application/json").build());
        try (IdempotentProducer p = chat.producer(ProducerOptions.newBuilder("bot-1").autoClaim(true).build())) {
            p.appendJson(Map.of("text", text));
        }
    }

    private List<Object> messages(String stream) {
        try (ReadResponse r = stream(stream).read(ReadOptions.newBuilder().offset(Offsets.BEGINNING).build())) {
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
        DurableStream s = stream("jobs");
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
        DurableStream s = stream("events");
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
            DurableStream s = stream("closed-" + autoClaim);
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
            DurableStream empty = stream("closed-empty-" + autoClaim);
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
