package io.durablestreams.engine.subscriptions;

/**
 * How the server delivers webhooks.
 *
 * @param transport  sends the POSTs; null when this server delivers no webhooks (creating a
 *                   webhook subscription then answers 501)
 * @param allowLocal the development exception of PROTOCOL.md §6.2: webhooks to {@code localhost},
 *                   {@code 127.0.0.x} and {@code [::1]}, also over http ({@code ds serve
 *                   --allow-local-webhooks}); off by default
 */
public record WebhookOptions(WebhookTransport transport, boolean allowLocal) {
    /** No webhook delivery (pull-wake subscriptions still work). */
    public static WebhookOptions none() {
        return new WebhookOptions(null, false);
    }
}
