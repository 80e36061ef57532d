package io.durablestreams.engine.subscriptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Webhook delivery of a wake (PROTOCOL.md §7.1): the POST of the snapshot with an Ed25519
 * {@code Webhook-Signature}, to an address vetted by {@link WebhookAddresses}, retried with the
 * backoff of {@link Retries} until a 2xx answer (or until the wake is no longer current). One
 * attempt at a time per wake, also across nodes ({@link Attempts}). Everything here runs on the
 * subscription thread ({@code thread}) except the lookup and the POST.
 */
final class WebhookDelivery {
    private static final System.Logger LOG = System.getLogger(WebhookDelivery.class.getName());
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long an attempt may take before another node takes it over: the POST ends within
     * {@link #TIMEOUT}; the margin covers the lookup before it and a busy node after it.
     */
    static final long ATTEMPT_BOUND_MS = TIMEOUT.toMillis() + 30_000;

    /** What a 2xx answer to the current wake said: {@code done} means "ack the whole snapshot". */
    @FunctionalInterface
    interface Answered {
        void answered(Subscription s, boolean done);
    }

    private final WebhookTransport transport;
    private final WebhookAddresses addresses;
    private final Executor thread;
    private final SubscriptionRegistry registry;
    private final Cursors cursors;
    private final Retries retries;
    private final Attempts attempts;
    private final Timers timers;
    private final WebhookSigner signer;
    private final CallbackTokens tokens;
    private final LongSupplier clock;
    private final Supplier<String> publicRoot;
    private final ObjectMapper json;

    WebhookDelivery(WebhookTransport transport, WebhookAddresses addresses, Executor thread, SubscriptionRegistry registry,
                    Cursors cursors, Retries retries, Attempts attempts, Timers timers, WebhookSigner signer,
                    CallbackTokens tokens, LongSupplier clock, Supplier<String> publicRoot, ObjectMapper json) {
        this.transport = transport;
        this.addresses = addresses;
        this.thread = thread;
        this.registry = registry;
        this.cursors = cursors;
        this.retries = retries;
        this.attempts = attempts;
        this.timers = timers;
        this.signer = signer;
        this.tokens = tokens;
        this.clock = clock;
        this.publicRoot = publicRoot;
        this.json = json;
    }

    /** Whether this server delivers webhooks at all. */
    boolean enabled() {
        return transport != null;
    }

    /**
     * Delivers the subscription's current wake now, unless its receiver holds the lease or an
     * attempt is in flight (here, or on another node).
     */
    void deliver(Subscription s, Answered answered) {
        if (s.deleted || s.wakeId == null || s.holder != null) {
            return;
        }
        String wakeId = s.wakeId;
        if (transport == null) {
            LOG.log(System.Logger.Level.WARNING, "subscription " + s.id + " has a webhook, but this server delivers none");
            retry(s, answered, "this server delivers no webhooks");
            return;
        }
        String attempt = attempts.begin(s, ATTEMPT_BOUND_MS);
        if (attempt == null) {
            return;
        }
        addresses.resolve(s.config.webhookUrl()).whenCompleteAsync((target, err) -> {
            if (!current(s, wakeId)) {
                attempts.end(s, attempt);
                return;
            }
            if (!attempts.holds(s, attempt)) {
                return; // another node took the attempt over
            }
            if (err != null) {
                attempts.end(s, attempt);
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                LOG.log(System.Logger.Level.WARNING, "webhook of subscription " + s.id + " refused: " + cause.getMessage());
                retry(s, answered, "webhook refused: " + cause.getMessage());
                return;
            }
            send(s, target, attempt, answered);
        }, thread);
    }

    /** After a restart: the next attempt of a wake in flight, when its persisted schedule says. */
    void resume(Subscription s, Answered answered) {
        timers.scheduleWhenDue(s.id, () -> retries.remaining(s), () -> deliver(s, answered));
    }

    private void send(Subscription s, WebhookAddresses.Target target, String attempt, Answered answered) {
        ObjectNode payload = json.createObjectNode().put("subscription_id", s.id).put("wake_id", s.wakeId)
                .put("generation", s.generation);
        payload.set("streams", cursors.snapshot(s));
        payload.put("callback_url", publicRoot.get() + "__ds/subscriptions/" + s.id + "/callback");
        payload.put("callback_token", tokens.issue(s, clock.getAsLong()));
        attempts.extend(s, attempt, ATTEMPT_BOUND_MS);
        registry.persist(s);
        byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("content-type", "application/json",
                "webhook-signature", signer.sign(clock.getAsLong() / 1000, body));
        String wakeId = s.wakeId;
        transport.post(new WebhookTransport.Post(target.url(), target.address(), headers, body, TIMEOUT))
                .whenCompleteAsync((reply, err) -> received(s, wakeId, attempt, reply, err, answered), thread);
    }

    private void received(Subscription s, String wakeId, String attempt, WebhookTransport.Reply reply, Throwable err,
                          Answered answered) {
        if (!current(s, wakeId)) {
            attempts.end(s, attempt);
            return;
        }
        if (!attempts.end(s, attempt)) {
            return; // another node took the attempt over; its outcome counts
        }
        if (err != null || reply.status() / 100 != 2) {
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            String why = cause != null ? cause.toString() : "status " + reply.status();
            LOG.log(System.Logger.Level.INFO, "webhook of subscription " + s.id + " failed: " + why);
            retry(s, answered, "webhook failed: " + why);
            return;
        }
        retries.succeeded(s);
        answered.answered(s, isDone(reply.body()));
    }

    private boolean isDone(byte[] body) {
        try {
            return body.length > 0 && json.readTree(body).path("done").asBoolean(false);
        } catch (IOException e) {
            return false; // a non-JSON 2xx answer means "accepted, will call back"
        }
    }

    private void retry(Subscription s, Answered answered, String why) {
        retries.failed(s, why);
        registry.persist(s);
        timers.scheduleWhenDue(s.id, () -> retries.remaining(s), () -> deliver(s, answered));
    }

    private static boolean current(Subscription s, String wakeId) {
        return !s.deleted && wakeId.equals(s.wakeId);
    }
}
