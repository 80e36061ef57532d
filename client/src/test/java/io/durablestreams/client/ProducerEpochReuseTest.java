package io.durablestreams.client;

import com.sun.net.httpserver.HttpExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A producer that starts at an epoch an earlier run of the same producer id already wrote in: the
 * server answers its first try "duplicate" (204), which must not pass for a successful write.
 */
class ProducerEpochReuseTest {
    @RegisterExtension
    final FakeServers servers = new FakeServers();

    /** One stream with the producer validation of §5.2.1, for one producer id. */
    static final class ProducerServer implements FakeServer.Handler {
        final List<String> log = new ArrayList<>();
        /** "epoch/seq status" of every producer request, in the order the server handled them. */
        final List<String> answers = new ArrayList<>();
        private final Set<String> applyWithoutAnswer = new HashSet<>();
        private long epoch = -1;
        private long lastSeq = -1;

        /** What an earlier run left: {@code items} written at {@code epoch} as seq 0, 1, ... */
        synchronized ProducerServer earlierRun(long epoch, String... items) {
            this.epoch = epoch;
            for (String item : items) {
                log.add(item);
                lastSeq++;
            }
            return this;
        }

        /** The first request at these coordinates is handled, but its connection is closed unanswered. */
        synchronized ProducerServer loseAnswer(long epoch, long seq) {
            applyWithoutAnswer.add(epoch + "/" + seq);
            return this;
        }

        @Override
        public void handle(HttpExchange ex) throws Exception {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            long e = Long.parseLong(ex.getRequestHeaders().getFirst("Producer-Epoch"));
            long s = Long.parseLong(ex.getRequestHeaders().getFirst("Producer-Seq"));
            int status;
            Map<String, String> headers;
            synchronized (this) {
                if (e < epoch) {
                    status = 403;
                    headers = Map.of("Producer-Epoch", Long.toString(epoch));
                } else if (e > epoch && s != 0) {
                    status = 400;
                    headers = Map.of();
                } else if (e == epoch && s > lastSeq + 1) {
                    status = 409;
                    headers = Map.of("Producer-Expected-Seq", Long.toString(lastSeq + 1),
                            "Producer-Received-Seq", Long.toString(s));
                } else if (e == epoch && s <= lastSeq) {
                    status = 204;
                    headers = Map.of("Producer-Epoch", Long.toString(e), "Producer-Seq", Long.toString(lastSeq),
                            "Stream-Next-Offset", offset());
                } else {
                    epoch = e;
                    lastSeq = s;
                    log.add(body);
                    status = 200;
                    headers = Map.of("Producer-Epoch", Long.toString(e), "Producer-Seq", Long.toString(s),
                            "Stream-Next-Offset", offset());
                }
                answers.add(e + "/" + s + " " + status);
                if (applyWithoutAnswer.remove(e + "/" + s)) {
                    ex.close();
                    return;
                }
            }
            FakeServer.respond(ex, status, headers, "");
        }

        private String offset() {
            return String.format("%04d", log.size());
        }
    }

    private DurableStream stream(FakeServer.Handler handler) throws Exception {
        FakeServer s = servers.start(handler);
        return DurableStreamsClient.newBuilder().jitter(() -> 0.0)
                .retryPolicy(RetryPolicy.newBuilder().maxRetries(3).initialDelayMs(1).maxDelayMs(5).build())
                .build().stream(s.url("/s"), "text/plain");
    }

    private static ProducerOptions.Builder options() {
        return ProducerOptions.newBuilder("bot-1").lingerMs(0).maxBatchItems(1);
    }

    @Test
    void withAutoClaimASecondRunClaimsTheNextEpochAndWritesItsData() throws Exception {
        // The README's ten lines, run twice: both runs start at epoch 0 and append the same message.
        ProducerServer server = new ProducerServer().earlierRun(0, "hello");
        try (IdempotentProducer p = stream(server).producer(options().autoClaim(true).build())) {
            p.append("hello");
            p.flush();
            assertThat(p.epoch()).isEqualTo(1);
            assertThat(p.lastOffset()).isEqualTo("0002");
        }
        assertThat(server.log).containsExactly("hello", "hello");
        assertThat(server.answers).containsExactly("0/0 204", "1/0 200");
    }

    @Test
    void withoutAutoClaimASecondRunFailsAndWritesNothing() throws Exception {
        ProducerServer server = new ProducerServer().earlierRun(3, "a", "b");
        IdempotentProducer p = stream(server).producer(options().epoch(3).maxInFlight(5).build());
        p.append("x");
        p.append("y");
        p.append("z");
        assertThatThrownBy(p::flush).isInstanceOfSatisfying(ProducerDuplicateException.class, e -> {
            assertThat(e.producerId()).isEqualTo("bot-1");
            assertThat(e.epoch()).isEqualTo(3);
            assertThat(e.seq()).isZero();
            assertThat(e.getMessage()).contains("bot-1", "epoch 3", "seq 0", "another instance");
        });
        assertThatCode(p::close).as("already thrown by flush").doesNotThrowAnyException();
        assertThat(server.log).containsExactly("a", "b");
        assertThat(server.answers).as("nothing after the first batch is sent").containsExactly("3/0 204");
    }

    @Test
    void aFailureFlushThrewIsNotThrownAgainByCloseInTryWithResources() throws Exception {
        DurableStream s = stream(new ProducerServer().earlierRun(0, "a"));
        assertThatThrownBy(() -> {
            try (IdempotentProducer p = s.producer(options().build())) {
                p.append("b");
                p.flush();
            }
        }).isInstanceOf(ProducerDuplicateException.class).hasNoSuppressedExceptions();
    }

    @Test
    void closeThrowsAFailureNobodyWasToldAbout() throws Exception {
        DurableStream s = stream(new ProducerServer().earlierRun(0, "a"));
        assertThatThrownBy(() -> {
            try (IdempotentProducer p = s.producer(options().build())) {
                p.append("b");
            }
        }).isInstanceOf(ProducerDuplicateException.class);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aDuplicateAnswerToAResentTryIsOurOwnWrite(boolean autoClaim) throws Exception {
        ProducerServer server = new ProducerServer().loseAnswer(0, 0).loseAnswer(0, 2);
        try (IdempotentProducer p = stream(server).producer(options().autoClaim(autoClaim).maxInFlight(1).build())) {
            p.append("a");
            p.append("b");
            p.append("c");
            p.flush();
            assertThat(p.epoch()).isZero();
        }
        assertThat(server.log).containsExactly("a", "b", "c");
        assertThat(server.answers).containsExactly("0/0 200", "0/0 204", "0/1 200", "0/2 200", "0/2 204");
    }

    @Test
    void pipelinedBatchesOfASecondRunAreAllWrittenInOrderInTheClaimedEpoch() throws Exception {
        ProducerServer server = new ProducerServer().earlierRun(0, "e0", "e1", "e2").loseAnswer(1, 4);
        List<String> items = new ArrayList<>();
        try (IdempotentProducer p = stream(server).producer(options().autoClaim(true).maxInFlight(5).build())) {
            for (int i = 0; i < 30; i++) {
                items.add("m" + i);
                p.append("m" + i);
            }
            p.flush();
            assertThat(p.epoch()).isEqualTo(1);
        }
        List<String> expected = new ArrayList<>(List.of("e0", "e1", "e2"));
        expected.addAll(items);
        assertThat(server.log).isEqualTo(expected);
        assertThat(server.answers.get(0)).isEqualTo("0/0 204");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void a204WithoutProducerHeadersIsAWriteOfAServerThatIgnoresThem(boolean autoClaim) throws Exception {
        // Without idempotent producers a server answers every stored append 204 (§5.2) and echoes no epoch.
        List<String> stored = new CopyOnWriteArrayList<>();
        DurableStream s = stream(ex -> {
            stored.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            FakeServer.respond(ex, 204, Map.of("Stream-Next-Offset", "o" + stored.size()), "");
        });
        try (IdempotentProducer p = s.producer(options().autoClaim(autoClaim).build())) {
            p.append("a");
            p.append("b");
            p.flush();
            assertThat(p.epoch()).isZero();
        }
        assertThat(stored).containsExactly("a", "b");
    }

    @Test
    void deduplicatingAcrossRunsWritesOnlyWhatTheEarlierRunDidNot() throws Exception {
        ProducerServer server = new ProducerServer().earlierRun(0, "m0", "m1", "m2");
        try (IdempotentProducer p = stream(server).producer(options().deduplicateAcrossRuns(true).maxInFlight(5)
                .build())) {
            for (int i = 0; i < 6; i++) {
                p.append("m" + i);
            }
            p.flush();
            assertThat(p.deduplicatedItems()).isEqualTo(3);
            assertThat(p.epoch()).isZero();
        }
        assertThat(server.log).containsExactly("m0", "m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void retriesOfOwnRequestsAreNotCountedAsDeduplicatedAcrossRuns() throws Exception {
        ProducerServer server = new ProducerServer().loseAnswer(0, 0);
        try (IdempotentProducer p = stream(server).producer(options().deduplicateAcrossRuns(true).build())) {
            p.append("a");
            p.flush();
            assertThat(p.deduplicatedItems()).isZero();
        }
        assertThat(server.log).containsExactly("a");
    }

    @Test
    void autoClaimAndDeduplicateAcrossRunsExcludeEachOther() {
        assertThatThrownBy(() -> options().autoClaim(true).deduplicateAcrossRuns(true).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("autoClaim and deduplicateAcrossRuns");
    }
}
