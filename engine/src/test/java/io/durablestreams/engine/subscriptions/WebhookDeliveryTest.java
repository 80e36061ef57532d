package io.durablestreams.engine.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablestreams.engine.store.ControlStore;
import io.durablestreams.engine.store.memory.MemoryControlStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Where webhook deliveries connect: one lookup per attempt, every answer vetted, the vetted address used. */
class WebhookDeliveryTest {
    /** Records each POST and answers {@code {"done":true}}. */
    static final class RecordingTransport implements WebhookTransport {
        final BlockingQueue<Post> posts = new LinkedBlockingQueue<>();

        @Override
        public CompletableFuture<Reply> post(Post post) {
            posts.add(post);
            return CompletableFuture.completedFuture(new Reply(200, "{\"done\":true}".getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void close() {}
    }

    private final RecordingTransport transport = new RecordingTransport();

    @Test
    void eachAttemptResolvesOnceAndConnectsToTheAddressItVetted() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        // DNS rebinding: a public answer first, loopback afterwards
        HostResolver rebinding = host -> new InetAddress[] {
                lookups.incrementAndGet() == 1 ? InetAddress.getByName("93.184.216.34") : InetAddress.getByName("127.0.0.1")};
        try (SubscriptionFixture f = new SubscriptionFixture(new WebhookOptions(transport, false), rebinding)) {
            f.streams.put("jobs/1", 1, 0);
            assertThat(f.call("PUT", "__ds/subscriptions/w",
                    "{\"type\":\"webhook\",\"streams\":[\"jobs/1\"],\"webhook\":{\"url\":\"https://hooks.example.com/hook\"}}").status())
                    .isEqualTo(201);

            f.streams.put("jobs/1", 1, 10);
            f.manager.streamChanged("jobs/1");
            WebhookTransport.Post post = transport.posts.poll(10, TimeUnit.SECONDS);

            assertThat(post).isNotNull();
            assertThat(post.address()).isEqualTo(InetAddress.getByName("93.184.216.34"));
            assertThat(post.url().getHost()).as("Host and TLS name stay the URL's").isEqualTo("hooks.example.com");
            assertThat(lookups.get()).as("one lookup per attempt: the transport resolves nothing").isEqualTo(1);

            // the next wake's lookup answers loopback: refused before any connection
            f.streams.put("jobs/1", 1, 20);
            f.manager.streamChanged("jobs/1");
            awaitStatus(f, "w", "failed");
            assertThat(lookups.get()).isGreaterThanOrEqualTo(2);
            assertThat(transport.posts).isEmpty();
        }
    }

    @Test
    void aLocalWebhookAllowedOnceIsRefusedWithoutConnectingWhenTheServerNoLongerAllowsIt() throws Exception {
        ControlStore control = new MemoryControlStore();
        try (SubscriptionFixture dev = new SubscriptionFixture(control, new WebhookOptions(transport, true), HostResolver.SYSTEM)) {
            assertThat(dev.call("PUT", "__ds/subscriptions/w",
                    "{\"type\":\"webhook\",\"streams\":[\"jobs/1\"],\"webhook\":{\"url\":\"http://127.0.0.1:9/hook\"}}").status())
                    .isEqualTo(201);
        }
        try (SubscriptionFixture f = new SubscriptionFixture(control, new WebhookOptions(transport, false), host -> {
            throw new UnknownHostException("no lookup expected");
        })) {
            f.streams.put("jobs/1", 1, 10);
            f.manager.streamChanged("jobs/1");
            awaitStatus(f, "w", "failed");
            assertThat(transport.posts).isEmpty();
        }
    }

    private static void awaitStatus(SubscriptionFixture f, String id, String status) {
        long deadline = System.currentTimeMillis() + 10_000;
        JsonNode view;
        do {
            view = SubscriptionFixture.json(f.call("GET", "__ds/subscriptions/" + id, ""));
        } while (!view.get("status").asText().equals(status) && System.currentTimeMillis() < deadline);
        assertThat(view.get("status").asText()).isEqualTo(status);
    }
}
