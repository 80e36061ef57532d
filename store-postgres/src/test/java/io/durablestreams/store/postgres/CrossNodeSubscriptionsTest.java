package io.durablestreams.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.http.Response;
import io.durablestreams.engine.store.StorageException;
import io.durablestreams.engine.subscriptions.WebhookOptions;
import io.durablestreams.engine.subscriptions.WebhookTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions on two stateless nodes of one real PostgreSQL database, as behind a round-robin
 * load balancer: whichever node a request reaches answers from the database, one delivery runs at
 * a time per subscription, and a node that stops has its leases taken over by the other.
 */
class CrossNodeSubscriptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer than a sweep of every node (SubscriptionManager.SWEEP_INTERVAL_MS = 2 s): what a node would wrongly do, it has done by then. */
    private static final long LONGER_THAN_A_SWEEP_MS = 3_000;
    private static final String HOOK = "http://127.0.0.1:9/hook"; // never contacted: the test transport answers
    private static final byte[] DONE = "{\"done\":true}".getBytes(StandardCharsets.UTF_8);

    /** A webhook POST a node sent, and its answer, which the test gives. */
    record Delivery(String node, JsonNode body, CompletableFuture<WebhookTransport.Reply> reply) {
        String wakeId() {
            return body.get("wake_id").asText();
        }

        long generation() {
            return body.get("generation").asLong();
        }

        void answer(int status, byte[] body) {
            reply.complete(new WebhookTransport.Reply(status, body));
        }
    }

    /** One node's webhook transport: every POST lands in the test's queue, tagged with the node. */
    record Receiver(String node, BlockingQueue<Delivery> deliveries) implements WebhookTransport {
        @Override
        public CompletableFuture<Reply> post(Post post) {
            CompletableFuture<Reply> reply = new CompletableFuture<>();
            deliveries.add(new Delivery(node, parse(post.body()), reply));
            return reply;
        }

        @Override
        public void close() {}
    }

    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private Node a;
    private Node b;

    @BeforeEach
    void start() throws InterruptedException {
        String url = TestPostgres.freshDatabase();
        a = new Node(url, new WebhookOptions(new Receiver("a", deliveries), true)).awaitListening();
        b = new Node(url, new WebhookOptions(new Receiver("b", deliveries), true)).awaitListening();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    @Test
    void aSubscriptionCreatedOnOneNodeIsReadChangedAndDeletedThroughTheOther() {
        create(a, "wake/pool", "application/json");
        create(a, "jobs/1", "text/plain");
        String config = "{\"type\":\"pull-wake\",\"streams\":[\"jobs/1\"],\"wake_stream\":\"wake/pool\",\"description\":\"d\"}";
        assertThat(a.call("PUT", "__ds/subscriptions/p").body(config).send().status()).isEqualTo(201);

        JsonNode onB = json(b.call("GET", "__ds/subscriptions/p").send());
        assertThat(onB.get("type").asText()).isEqualTo("pull-wake");
        assertThat(onB.get("streams").get(0).get("path").asText()).isEqualTo("jobs/1");
        assertThat(b.call("PUT", "__ds/subscriptions/p").body(config).send().status()).as("re-confirmed").isEqualTo(200);
        assertThat(b.call("PUT", "__ds/subscriptions/p").body(config.replace("\"d\"", "\"other\"")).send().status())
                .as("another configuration").isEqualTo(409);

        create(b, "jobs/2", "text/plain");
        assertThat(b.call("POST", "__ds/subscriptions/p/streams").body("{\"streams\":[\"jobs/2\"]}").send().status()).isEqualTo(204);
        assertThat(json(a.call("GET", "__ds/subscriptions/p").send()).get("streams")).hasSize(2);

        assertThat(b.call("DELETE", "__ds/subscriptions/p").send().status()).isEqualTo(204);
        assertThat(a.call("GET", "__ds/subscriptions/p").send().status()).isEqualTo(404);
        assertThat(a.call("DELETE", "__ds/subscriptions/p").send().status()).isEqualTo(404);
    }

    @Test
    void bothNodesPublishOneSetOfSigningKeysAndAcceptEachOthersTokens() {
        String jwks = text(a.call("GET", "__ds/jwks.json").send());
        assertThat(text(b.call("GET", "__ds/jwks.json").send())).as("one key, not one per node").isEqualTo(jwks);
        String kid = a.engine.rotateWebhookSigningKey();
        assertThat(json(b.call("GET", "__ds/jwks.json").send()).get("keys")).hasSize(2)
                .anySatisfy(k -> assertThat(k.get("kid").asText()).isEqualTo(kid));
    }

    @Test
    void aPullWakeWokenByAnAppendOnOneNodeIsAnnouncedOnceAndClaimedAndAckedThroughEither() throws Exception {
        create(a, "wake/pool", "application/json");
        create(a, "jobs/1", "text/plain");
        assertThat(a.call("PUT", "__ds/subscriptions/p")
                .body("{\"type\":\"pull-wake\",\"streams\":[\"jobs/1\"],\"wake_stream\":\"wake/pool\"}").send().status())
                .isEqualTo(201);

        append(b, "jobs/1", "x");
        append(a, "jobs/1", "y");
        List<JsonNode> events = await(() -> events(a), e -> !e.isEmpty(), "a wake event");
        assertThat(events.get(0).get("subscription_id").asText()).isEqualTo("p");
        assertThat(events.get(0).get("stream").asText()).isEqualTo("jobs/1");
        long generation = events.get(0).get("generation").asLong();
        append(b, "jobs/1", "z"); // the wake is in flight: more work joins it, no second wake
        Thread.sleep(LONGER_THAN_A_SWEEP_MS);
        assertThat(events(b)).as("one wake event, though both nodes saw appends and swept").hasSize(1);

        Response claim = a.call("POST", "__ds/subscriptions/p/claim").body("{\"worker\":\"worker-a\"}").send();
        assertThat(claim.status()).isEqualTo(200);
        JsonNode granted = json(claim);
        String tail = b.call("HEAD", "jobs/1").send().headers().get("stream-next-offset");
        assertThat(granted.get("generation").asLong()).isEqualTo(generation);
        assertThat(granted.get("streams").get(0).get("tail_offset").asText()).isEqualTo(tail);

        Response busy = b.call("POST", "__ds/subscriptions/p/claim").body("{\"worker\":\"worker-b\"}").send();
        assertThat(busy.status()).isEqualTo(409);
        assertThat(json(busy).get("error").get("current_holder").asText()).isEqualTo("worker-a");

        String ack = "{\"wake_id\":\"" + granted.get("wake_id").asText() + "\",\"generation\":" + generation
                + ",\"acks\":[{\"stream\":\"jobs/1\",\"offset\":\"" + tail + "\"}],\"done\":true}";
        Response acked = b.call("POST", "__ds/subscriptions/p/ack").header("authorization", "Bearer " + granted.get("token").asText())
                .body(ack).send();
        assertThat(acked.status()).isEqualTo(200);
        assertThat(json(acked).get("next_wake").asBoolean()).isFalse();
        assertThat(json(a.call("GET", "__ds/subscriptions/p").send()).get("streams").get(0).get("acked_offset").asText())
                .isEqualTo(tail);
        assertThat(a.call("POST", "__ds/subscriptions/p/ack").header("authorization", "Bearer " + granted.get("token").asText())
                .body(ack).send().status()).as("the wake is over").isEqualTo(409);
        assertThat(events(a)).hasSize(1);
    }

    @Test
    void aWebhookIsPostedOnceAtATimeThoughBothNodesSeeAppends() throws Exception {
        create(a, "jobs/1", "text/plain");
        assertThat(a.call("PUT", "__ds/subscriptions/w")
                .body("{\"type\":\"webhook\",\"streams\":[\"jobs/1\"],\"webhook\":{\"url\":\"" + HOOK + "\"}}").send().status())
                .isEqualTo(201);

        append(a, "jobs/1", "x");
        append(b, "jobs/1", "y");
        Delivery first = deliveries.poll(15, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        append(a, "jobs/1", "z");
        append(b, "jobs/1", "w");
        Thread.sleep(LONGER_THAN_A_SWEEP_MS);
        assertThat(deliveries).as("no second POST while the first is unanswered").isEmpty();

        // answered done: what came after the snapshot is the next wake's, delivered once too
        Set<String> wakes = new HashSet<>();
        long generation = 0;
        for (Delivery d = first; d != null; d = deliveries.poll(LONGER_THAN_A_SWEEP_MS, TimeUnit.MILLISECONDS)) {
            assertThat(wakes.add(d.wakeId())).as("each wake is posted once").isTrue();
            assertThat(d.generation()).isGreaterThan(generation);
            generation = d.generation();
            d.answer(200, DONE);
        }
        String tail = a.call("HEAD", "jobs/1").send().headers().get("stream-next-offset");
        JsonNode view = json(b.call("GET", "__ds/subscriptions/w").send());
        assertThat(view.get("streams").get(0).get("acked_offset").asText()).as("everything acked").isEqualTo(tail);
        assertThat(view.get("status").asText()).isEqualTo("active");
    }

    @Test
    void aPullWakeLeaseOfANodeThatStopsRunsOutAndTheOtherNodeWakesAgain() throws Exception {
        create(a, "wake/pool", "application/json");
        create(a, "jobs/1", "text/plain");
        assertThat(a.call("PUT", "__ds/subscriptions/p")
                .body("{\"type\":\"pull-wake\",\"streams\":[\"jobs/1\"],\"wake_stream\":\"wake/pool\",\"lease_ttl_ms\":1000}")
                .send().status()).isEqualTo(201);
        append(a, "jobs/1", "x");
        await(() -> events(b), e -> e.size() == 1, "the first wake event");
        Response claim = a.call("POST", "__ds/subscriptions/p/claim").body("{\"worker\":\"w1\"}").send();
        assertThat(claim.status()).isEqualTo(200);
        JsonNode granted = json(claim);

        a.close(); // the node that armed the lease's timer goes away; the worker never acks

        List<JsonNode> events = await(() -> events(b), e -> e.size() == 2, "a wake event after the lease ran out");
        assertThat(events.get(1).get("generation").asLong()).isEqualTo(granted.get("generation").asLong() + 1);
        String stale = "{\"wake_id\":\"" + granted.get("wake_id").asText() + "\",\"generation\":"
                + granted.get("generation").asLong() + ",\"done\":true}";
        assertThat(b.call("POST", "__ds/subscriptions/p/ack").header("authorization", "Bearer " + granted.get("token").asText())
                .body(stale).send().status()).as("the old lease is fenced").isEqualTo(409);
        Response again = b.call("POST", "__ds/subscriptions/p/claim").body("{\"worker\":\"w2\"}").send();
        assertThat(again.status()).isEqualTo(200);
        assertThat(json(again).get("generation").asLong()).isEqualTo(granted.get("generation").asLong() + 1);
    }

    @Test
    void aWebhookLeaseOfANodeThatStopsRunsOutAndTheOtherNodeDeliversTheNextWake() throws Exception {
        create(a, "jobs/1", "text/plain");
        assertThat(a.call("PUT", "__ds/subscriptions/w").body("{\"type\":\"webhook\",\"streams\":[\"jobs/1\"],"
                + "\"webhook\":{\"url\":\"" + HOOK + "\"},\"lease_ttl_ms\":1000}").send().status()).isEqualTo(201);
        append(a, "jobs/1", "x");
        Delivery first = deliveries.poll(15, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        Node deliverer = first.node().equals("a") ? a : b;
        Node survivor = deliverer == a ? b : a;
        first.answer(200, "{}".getBytes(StandardCharsets.UTF_8)); // accepted, will call back: the receiver holds the lease
        settle(deliverer); // the deliverer took in the answer


        deliverer.close(); // the node that armed the lease's timer goes away; the receiver never calls back

        Delivery next = deliveries.poll(15, TimeUnit.SECONDS);
        assertThat(next).as("the other node delivers the work still pending").isNotNull();
        assertThat(next.node()).isEqualTo(survivor == a ? "a" : "b");
        assertThat(survivor.call("GET", "__ds/subscriptions/w").send().status()).isEqualTo(200);
        assertThat(next.generation()).isEqualTo(first.generation() + 1);
        next.answer(200, DONE);
    }

    @Test
    void aSubscriptionRequestThatCannotTakeTheLockInTimeFailsAsUnavailable() throws Exception {
        String url = TestPostgres.freshDatabase();
        try (Node quick = new Node(url, EngineConfig.defaults(), WebhookOptions.none(), Duration.ofMillis(500));
             PostgresDatabase other = PostgresDatabase.open(PostgresConfig.of(url))) {
            PostgresControlStore otherNode = new PostgresControlStore(other);
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = new Thread(() -> otherNode.exclusively(() -> {
                locked.countDown();
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            holder.start();
            try {
                assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
                CompletableFuture<Response> busy = quick.call("GET", "__ds/subscriptions/s").future();
                assertThatThrownBy(() -> busy.get(10, TimeUnit.SECONDS)).cause()
                        .as("a storage failure the binding answers 503 with Retry-After")
                        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.unavailable()).isTrue())
                        .hasRootCauseMessage("ERROR: canceling statement due to lock timeout");
            } finally {
                release.countDown();
                holder.join();
            }
            assertThat(quick.call("GET", "__ds/subscriptions/s").send().status()).isEqualTo(404);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void create(Node n, String name, String contentType) {
        assertThat(n.call("PUT", name).header("content-type", contentType).send().status()).isEqualTo(201);
    }

    private static void append(Node n, String name, String body) {
        assertThat(n.call("POST", name).header("content-type", "text/plain").body(body).send().status()).isEqualTo(204);
    }

    /**
     * Waits until the node's subscription thread has run what was handed to it before, and what
     * those tasks handed on without waiting (the answer to a POST, when the test answered before
     * the sender had registered its continuation): two round trips.
     */
    private static void settle(Node n) {
        n.call("GET", "__ds/jwks.json").send();
        n.call("GET", "__ds/jwks.json").send();
    }

    /** The wake events in {@code wake/pool}, read through {@code n}. */
    private static List<JsonNode> events(Node n) {
        Response r = n.call("GET", "wake/pool").param("offset", "-1").send();
        assertThat(r.status()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        json(r).forEach(out::add);
        return out;
    }

    /** Reads until {@code done} holds (each read goes to the database), for at most 15 s. */
    private static <T> T await(Supplier<T> read, java.util.function.Predicate<T> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        T value = read.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 15 s; last read " + value);
            }
            Thread.sleep(20);
            value = read.get();
        }
        return value;
    }

    private static String text(Response r) {
        return Node.text(r);
    }

    private static JsonNode json(Response r) {
        return parse(text(r).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
