package io.durablestreams.engine.subscriptions;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends webhook POSTs to an address the subscription code has already vetted. The engine has no
 * HTTP library; the server module implements this with Netty.
 *
 * <p>Contract, which the SSRF protection relies on: connect to {@link Post#address()} and nowhere
 * else (never resolve {@link Post#url()}'s host again); send {@code Host} from the URL's
 * authority; for https, send the URL's host name as TLS server name and verify the certificate
 * against it; never follow redirects; fail rather than buffer a reply body larger than
 * {@link #MAX_REPLY_BYTES}; fail when no whole reply arrived within {@link Post#timeout()}.
 */
public interface WebhookTransport extends AutoCloseable {
    /** Largest reply body read; a webhook's answer is at most {@code {"done":true}}. */
    int MAX_REPLY_BYTES = 64 * 1024;

    /** One POST: the URL as the subscription names it, the vetted address to connect to. */
    record Post(URI url, InetAddress address, Map<String, String> headers, byte[] body, Duration timeout) {}

    /** The receiver's answer. */
    record Reply(int status, byte[] body) {}

    /** Completes with the reply, or exceptionally when none arrived (refused, reset, TLS, timeout). */
    CompletableFuture<Reply> post(Post post);

    @Override
    void close();
}
