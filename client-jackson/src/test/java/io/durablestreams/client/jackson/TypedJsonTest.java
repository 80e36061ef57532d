package io.durablestreams.client.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.client.CloseableIterator;
import io.durablestreams.client.CreateOptions;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamsClient;
import io.durablestreams.client.IdempotentProducer;
import io.durablestreams.client.JsonBatch;
import io.durablestreams.client.ProducerOptions;
import io.durablestreams.client.ReadResponse;
import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.server.DurableStreamsServer;
import io.durablestreams.server.ServerConfig;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Records in and out of a JSON stream through the Jackson codec, against a real server. */
class TypedJsonTest {
    record Order(String id, int quantity) {}

    private static DurableStreamsServer server;
    private static DurableStreamsClient client;

    @BeforeAll
    static void start() throws Exception {
        EngineConfig engine = EngineConfig.defaults();
        server = new DurableStreamsServer(ServerConfig.defaults().withPort(0).withEngine(engine),
                new StreamEngine(engine, new MemoryStorage(), System::currentTimeMillis, RandomGenerator.getDefault())).start();
        client = DurableStreamsClient.newBuilder().baseUrl(server.url() + "/v1/stream/").jsonCodec(new JacksonJsonCodec()).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void recordsGoInWithAppendJsonAndComeBackWithTypedReads() {
        DurableStream orders = client.stream("orders");
        orders.create(CreateOptions.newBuilder().contentType("application/json").build());
        orders.appendJson(new Order("A-1", 2));
        try (IdempotentProducer p = orders.producer(ProducerOptions.newBuilder("typed").build())) {
            p.appendJson(new Order("A-2", 3));
        }

        try (ReadResponse r = orders.read()) {
            assertThat(r.readAllJson(Order.class)).containsExactly(new Order("A-1", 2), new Order("A-2", 3));
        }
        try (ReadResponse r = orders.read(); CloseableIterator<JsonBatch<Order>> batches = r.jsonBatches(Order.class)) {
            List<Order> first = batches.next().messages();
            assertThat(first.get(0)).isEqualTo(new Order("A-1", 2));
        }
    }
}
