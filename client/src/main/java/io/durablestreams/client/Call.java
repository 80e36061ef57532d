package io.durablestreams.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One request's trip through the {@link Transport}: builds the HTTP request (defaults and suppliers
 * are evaluated per attempt), sends it, retries transient failures with backoff, consults the
 * {@link ErrorHandler}, and classifies the final failure.
 *
 * <p>{@link #cancel()} may be called from any thread: it aborts the exchange in flight, closes a body
 * being streamed and wakes a backoff sleep, so the blocked caller returns at once with a
 * {@link ReadCancelledException}.
 */
final class Call {
    private final Transport transport;
    private final Request request;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final Object lock = new Object();
    private CompletableFuture<HttpResponse<InputStream>> inFlight;
    private InputStream openBody;
    private final Map<String, String> extraHeaders = new HashMap<>();
    private final Map<String, String> extraParams = new HashMap<>();
    private int handlerCalls;
    private volatile boolean resentAfterUnknownOutcome;

    Call(Transport transport, Request request) {
        this.transport = transport;
        this.request = request;
    }

    /** Runs the request and reads the whole body. */
    Response execute() {
        return (Response) run(false);
    }

    /** Runs the request and returns as soon as a successful response's headers arrive. */
    StreamingResponse open() {
        return (StreamingResponse) run(true);
    }

    /** Aborts the call; idempotent, thread-safe, never blocks on I/O. */
    void cancel() {
        cancelled.countDown();
        CompletableFuture<HttpResponse<InputStream>> future;
        InputStream body;
        synchronized (lock) {
            future = inFlight;
            body = openBody;
        }
        if (future != null) {
            future.cancel(true);
        }
        closeQuietly(body);
    }

    boolean isCancelled() {
        return cancelled.getCount() == 0;
    }

    /**
     * Whether the request was sent again after a try whose outcome is unknown: the connection failed
     * after the request may have been delivered, or the server answered 5xx. That earlier try may have
     * been applied, so a producer must take a later "duplicate" answer (204) as the server having
     * applied our own try, not as a sign that someone else used the producer's coordinates.
     */
    boolean resentAfterUnknownOutcome() {
        return resentAfterUnknownOutcome;
    }

    /** Headers added by an {@link ErrorHandler} decision; kept for later calls of the same read. */
    Map<String, String> extraHeaders() {
        return Map.copyOf(extraHeaders);
    }

    Map<String, String> extraParams() {
        return Map.copyOf(extraParams);
    }

    void inheritExtras(Map<String, String> headers, Map<String, String> params) {
        extraHeaders.putAll(headers);
        extraParams.putAll(params);
    }

    private Object run(boolean streaming) {
        int retry = 0;
        while (true) {
            checkCancelled();
            Map<String, String> ownHeaders = new HashMap<>(request.headers);
            ownHeaders.putAll(extraHeaders);
            Map<String, String> ownParams = new HashMap<>(request.params);
            ownParams.putAll(extraParams);
            Map<String, String> headers = transport.defaults.headers(ownHeaders);
            Map<String, String> params = transport.defaults.params(ownParams);
            URI uri = Urls.withQuery(request.url, params);

            DurableStreamException failure;
            long delayMs = -1;
            boolean unknownOutcome;
            try {
                HttpResponse<InputStream> response = send(build(uri, headers));
                int status = response.statusCode();
                if (status < 400) {
                    if (streaming) {
                        return new StreamingResponse(status, response.headers(), response.body(), request.url);
                    }
                    byte[] body = readBody(response.body(), status);
                    return new Response(status, response.headers(), body, request.url, headers, params);
                }
                byte[] body = readErrorBody(response.body());
                Response r = new Response(status, response.headers(), body, request.url, headers, params);
                failure = Failures.fromResponse(request.kind, r);
                unknownOutcome = status >= 500;
                if ((status >= 500 || status == 429) && retry < transport.retryPolicy.maxRetries()) {
                    delayMs = transport.backoff.delayMs(retry, r.header(ProtocolHeaders.RETRY_AFTER),
                            transport.clock.instant());
                }
            } catch (IOException e) {
                checkCancelled();
                failure = new StreamNetworkException(request.method + " " + request.url + " failed: " + e,
                        0, request.url, e);
                unknownOutcome = !neverSent(e);
                boolean safe = request.isIdempotent() || transport.retryUnsafeAppends || neverSent(e);
                if (safe && retry < transport.retryPolicy.maxRetries()) {
                    delayMs = transport.backoff.delayMs(retry);
                }
            }
            if (delayMs >= 0) {
                resentAfterUnknownOutcome |= unknownOutcome;
                retry++;
                sleep(delayMs);
                continue;
            }
            ErrorDecision decision = transport.errorHandler.onError(failure, handlerCalls++);
            if (decision == null || !decision.isRetry()) {
                throw failure;
            }
            resentAfterUnknownOutcome |= unknownOutcome;
            extraHeaders.putAll(decision.headers());
            extraParams.putAll(decision.params());
            retry = 0;
        }
    }

    private HttpRequest build(URI uri, Map<String, String> headers) {
        HttpRequest.BodyPublisher publisher = request.body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(request.method, publisher);
        headers.forEach(b::header);
        if (transport.requestTimeout != null) {
            b.timeout(transport.requestTimeout);
        }
        return b.build();
    }

    private HttpResponse<InputStream> send(HttpRequest httpRequest) throws IOException {
        CompletableFuture<HttpResponse<InputStream>> future =
                transport.http.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
        synchronized (lock) {
            inFlight = future;
        }
        if (isCancelled()) {
            future.cancel(true);
        }
        try {
            HttpResponse<InputStream> response = future.get();
            synchronized (lock) {
                openBody = response.body();
            }
            if (isCancelled()) {
                closeQuietly(response.body());
            }
            return response;
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw cancelledException();
        } catch (CancellationException e) {
            throw cancelledException();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
    }

    private byte[] readBody(InputStream in, int status) throws IOException {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            checkCancelled();
            if (!request.isIdempotent()) {
                // The server answered 2xx, so the append happened; only the (unused) body was lost.
                return new byte[0];
            }
            throw e;
        }
    }

    private byte[] readErrorBody(InputStream in) {
        try (in) {
            return in.readNBytes(4096);
        } catch (IOException e) {
            return "(error body unreadable)".getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A connection that was never established cannot have delivered the request. */
    private static boolean neverSent(IOException e) {
        return e instanceof ConnectException || e instanceof HttpConnectTimeoutException;
    }

    private void sleep(long ms) {
        try {
            if (cancelled.await(ms, TimeUnit.MILLISECONDS)) {
                throw cancelledException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelledException();
        }
    }

    private void checkCancelled() {
        if (isCancelled() || Thread.currentThread().isInterrupted()) {
            throw cancelledException();
        }
    }

    private ReadCancelledException cancelledException() {
        return new ReadCancelledException(request.method + " " + request.url + " was cancelled", 0, request.url,
                null);
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // Closing only releases the connection; there is nothing left to report.
            }
        }
    }
}
