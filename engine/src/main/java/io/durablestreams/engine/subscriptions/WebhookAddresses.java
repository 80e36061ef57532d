package io.durablestreams.engine.subscriptions;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Where a webhook delivery connects: its URL is checked against the policy, its host resolved
 * once, every resolved address vetted, and the vetted address is what the transport connects to,
 * so a name that answers differently by the time of the connection (DNS rebinding) cannot lead
 * inside. Lookups block, so they run on {@code lookups}, never on the subscription thread.
 */
final class WebhookAddresses {
    /** A vetted destination: the URL (its host names the Host header and TLS server name) and the address. */
    record Target(URI url, InetAddress address) {}

    private final WebhookUrlPolicy policy;
    private final HostResolver resolver;
    private final Executor lookups;

    WebhookAddresses(WebhookUrlPolicy policy, HostResolver resolver, Executor lookups) {
        this.policy = policy;
        this.resolver = resolver;
        this.lookups = lookups;
    }

    /** Completes with the target, or exceptionally with {@link WebhookUrlPolicy.Rejected}. */
    CompletableFuture<Target> resolve(String url) {
        URI uri;
        try {
            uri = policy.check(url); // again at each delivery: the policy may have changed since creation
        } catch (WebhookUrlPolicy.Rejected e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> {
            String host = WebhookUrlPolicy.host(uri);
            try {
                return new Target(uri, policy.vet(uri, resolver.resolve(host)));
            } catch (UnknownHostException e) {
                throw new CompletionException(new WebhookUrlPolicy.Rejected("cannot resolve " + host));
            } catch (WebhookUrlPolicy.Rejected e) {
                throw new CompletionException(e);
            }
        }, lookups);
    }
}
