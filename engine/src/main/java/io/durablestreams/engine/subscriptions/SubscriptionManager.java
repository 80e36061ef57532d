package io.durablestreams.engine.subscriptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.durablestreams.engine.store.ControlStore;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Subscriptions (PROTOCOL.md §6, §7), as the engine sees them: requests under {@code __ds},
 * notifications of stream changes, key rotation. The work is split by concern: {@link
 * SubscriptionRoutes} (HTTP), {@link SubscriptionRegistry} (state and persistence), {@link
 * Cursors} (links and acks), {@link Wakes} with {@link Leases} (the wake lifecycle), {@link
 * WebhookDelivery} with {@link WebhookAddresses} and {@link Retries} (webhooks), {@link PullWake}
 * (wake streams).
 *
 * <p>Threading: every state change runs on one subscription thread, so subscription state needs
 * no locks; HTTP routes and stream-change notifications are handed to it. Every change is
 * persisted to the control store before it is acknowledged, so a restart resumes leases, wakes
 * and retries. Host name lookups for webhooks run on their own threads.
 */
public final class SubscriptionManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SubscriptionManager.class.getName());
    /** Concurrent webhook host lookups; more wait (a lookup can take seconds). */
    private static final int LOOKUP_THREADS = 4;

    private final ScheduledExecutorService thread;
    private final ThreadPoolExecutor lookups;
    private final SubscriptionRegistry registry;
    private final Wakes wakes;
    private final SubscriptionRoutes routes;
    private final WebhookSigner signer;
    private final WebhookTransport transport;
    private final LongSupplier clock;

    /**
     * @param publicRoot the stream root as clients reach it, e.g. {@code https://host/v1/stream/};
     *                   used for {@code callback_url} and {@code jwks_url}
     * @param webhooks   how webhooks are sent and where they may go; the manager closes the transport
     */
    public SubscriptionManager(ControlStore store, StreamDirectory streams, LongSupplier clockMillis,
                               Supplier<String> publicRoot, WebhookOptions webhooks) {
        this(store, streams, clockMillis, publicRoot, webhooks, HostResolver.SYSTEM);
    }

    SubscriptionManager(ControlStore store, StreamDirectory streams, LongSupplier clockMillis, Supplier<String> publicRoot,
                        WebhookOptions webhooks, HostResolver resolver) {
        ObjectMapper json = new ObjectMapper();
        this.clock = clockMillis;
        this.transport = webhooks.transport();
        this.thread = Executors.newSingleThreadScheduledExecutor(daemon("ds-subscriptions"));
        this.lookups = new ThreadPoolExecutor(LOOKUP_THREADS, LOOKUP_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon("ds-webhook-lookup"));
        lookups.allowCoreThreadTimeOut(true);
        this.signer = new WebhookSigner(store, clockMillis.getAsLong());
        CallbackTokens tokens = new CallbackTokens(store);
        WebhookUrlPolicy policy = new WebhookUrlPolicy(webhooks.allowLocal());
        this.registry = new SubscriptionRegistry(store, json);
        Cursors cursors = new Cursors(streams, json);
        Timers timers = new Timers(thread);
        Retries retries = new Retries(clockMillis, new SplittableRandom());
        WebhookDelivery webhookDelivery = new WebhookDelivery(transport, new WebhookAddresses(policy, resolver, lookups),
                thread, registry, cursors, retries, timers, signer, tokens, clockMillis, publicRoot, json);
        PullWake pullWake = new PullWake(streams, thread, registry, cursors, retries, timers, clockMillis, json);
        this.wakes = new Wakes(registry, cursors, timers, webhookDelivery, pullWake, tokens, clockMillis);
        this.routes = new SubscriptionRoutes(registry, cursors, wakes, streams, policy, webhookDelivery.enabled(), signer,
                tokens, clockMillis, publicRoot, json);
        thread.execute(wakes::resume);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Whether a stream name addresses the reserved control namespace (PROTOCOL.md §6). */
    public static boolean isReserved(String stream) {
        return stream.equals("__ds") || stream.startsWith("__ds/");
    }

    /** Handles a request under {@code __ds/}; completes on the subscription thread. */
    public CompletableFuture<Response> handle(Request req) {
        CompletableFuture<Response> out = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                out.complete(routes.route(req));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "subscription request failed", e);
                out.complete(ControlResponses.error(500, "INTERNAL", "the subscription request failed"));
            }
        });
        return out;
    }

    /** Called after a stream is created or its acknowledged tail advances. */
    public void streamChanged(String name) {
        if (registry.hasLive() && !isReserved(name)) {
            thread.execute(() -> wakes.streamChanged(name));
        }
    }

    /** Generates a new webhook signing key; old public keys stay in the JWKS. Returns the new kid. */
    public String rotateSigningKey() {
        return signer.rotate(clock.getAsLong());
    }

    @Override
    public void close() {
        thread.shutdownNow();
        lookups.shutdownNow();
        if (transport != null) {
            transport.close();
        }
    }
}
