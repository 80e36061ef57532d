package io.durablestreams.engine.subscriptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.durablestreams.engine.store.ControlStore;
import io.durablestreams.engine.store.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Subscriptions (PROTOCOL.md §6, §7), as the engine sees them: requests under {@code __ds},
 * notifications of stream changes, key rotation. The work is split by concern: {@link
 * SubscriptionRoutes} (HTTP), {@link SubscriptionRegistry} (state and persistence), {@link
 * Cursors} (links and acks), {@link Wakes} with {@link Leases} (the wake lifecycle), {@link
 * WebhookDelivery} with {@link WebhookAddresses} and {@link Retries} (webhooks), {@link PullWake}
 * (wake streams), {@link Attempts} (one delivery attempt at a time).
 *
 * <p>Threading: every state change runs on one subscription thread ({@link SubscriptionThread}),
 * so subscription state needs no locks; HTTP routes and stream-change notifications are handed to
 * it. Every change is persisted to the control store before it is acknowledged, so a restart
 * resumes leases, wakes and retries. Host name lookups for webhooks run on their own threads.
 *
 * <p>Nodes sharing one control store (a cluster on one database): the records are the only truth.
 * Each task runs under the store's lock on the records as they are; a change notification reaches
 * the node that took the append, which is enough because every append goes through some node; and
 * every node sweeps every {@value #SWEEP_INTERVAL_MS} ms for what is due, so the leases, retries and
 * deliveries of a node that stopped are taken over.
 */
public final class SubscriptionManager implements AutoCloseable {
    /** With a shared control store: how often each node runs {@link Wakes#sweep}. */
    static final long SWEEP_INTERVAL_MS = 2_000;
    /** Concurrent webhook host lookups; more wait (a lookup can take seconds). */
    private static final int LOOKUP_THREADS = 4;
    private static final System.Logger LOG = System.getLogger(SubscriptionManager.class.getName());

    private final boolean shared;
    private final SubscriptionThread thread;
    private final ThreadPoolExecutor lookups;
    private final SubscriptionRegistry registry;
    private final Wakes wakes;
    private final SubscriptionRoutes routes;
    private final WebhookSigner signer;
    private final WebhookTransport transport;
    private final LongSupplier clock;
    /**
     * Shared control store: streams changed since the subscription thread last took them, so that
     * one task under the lock serves every append meanwhile.
     */
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean changesQueued = new AtomicBoolean();

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
        this.shared = store.shared();
        this.transport = webhooks.transport();
        // under the store's lock: nodes starting together on an empty store create one key and one secret
        this.signer = store.exclusively(() -> new WebhookSigner(store, clockMillis.getAsLong()));
        CallbackTokens tokens = store.exclusively(() -> new CallbackTokens(store));
        this.registry = new SubscriptionRegistry(store, json);
        this.thread = new SubscriptionThread(store, registry);
        this.lookups = new ThreadPoolExecutor(LOOKUP_THREADS, LOOKUP_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), SubscriptionThread.daemon("ds-webhook-lookup"));
        lookups.allowCoreThreadTimeOut(true);
        WebhookUrlPolicy policy = new WebhookUrlPolicy(webhooks.allowLocal());
        Cursors cursors = new Cursors(streams, json);
        Timers timers = new Timers(thread);
        Retries retries = new Retries(clockMillis, new SplittableRandom());
        Attempts attempts = new Attempts(shared, registry, clockMillis);
        WebhookDelivery webhookDelivery = new WebhookDelivery(transport, new WebhookAddresses(policy, resolver, lookups),
                thread, registry, cursors, retries, attempts, timers, signer, tokens, clockMillis, publicRoot, json);
        PullWake pullWake = new PullWake(streams, thread, registry, cursors, retries, attempts, timers, clockMillis, json);
        this.wakes = new Wakes(registry, cursors, timers, webhookDelivery, pullWake, tokens, attempts, retries, clockMillis);
        this.routes = new SubscriptionRoutes(registry, cursors, wakes, streams, policy, webhookDelivery.enabled(), signer,
                tokens, clockMillis, publicRoot, json);
        if (shared) {
            thread.every(SWEEP_INTERVAL_MS, () -> {
                takeChanges(); // also those of a notification task that could not take the lock
                wakes.sweep();
            });
        } else {
            thread.execute(wakes::resume);
        }
    }

    /** Whether a stream name addresses the reserved control namespace (PROTOCOL.md §6). */
    public static boolean isReserved(String stream) {
        return stream.equals("__ds") || stream.startsWith("__ds/");
    }

    /**
     * Handles a request under {@code __ds/}; completes on the subscription thread, exceptionally
     * with a {@link StorageException} when the control store failed or (shared) its lock could not
     * be taken in time, which the binding answers like any storage failure (503 when unavailable).
     */
    public CompletableFuture<Response> handle(Request req) {
        return thread.submit(() -> routes.route(req)).exceptionally(e -> {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof StorageException storage) {
                    throw new CompletionException(storage);
                }
            }
            LOG.log(System.Logger.Level.ERROR, "subscription request failed", e);
            return ControlResponses.error(500, "INTERNAL", "the subscription request failed");
        });
    }

    /** Called after a stream is created or its acknowledged tail advances. */
    public void streamChanged(String name) {
        if (isReserved(name)) {
            return;
        }
        if (!shared) {
            if (registry.hasLive()) {
                thread.execute(() -> wakes.streamChanged(name));
            }
            return;
        }
        // shared: this node cannot know whether another one just created a subscription, so always hand it on
        changed.add(name);
        if (changesQueued.compareAndSet(false, true)) {
            thread.execute(this::takeChanges);
        }
    }

    private void takeChanges() {
        changesQueued.set(false);
        List<String> names = new ArrayList<>(changed);
        changed.removeAll(names);
        names.forEach(wakes::streamChanged);
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
