package io.durablestreams.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Entry point of the Durable Streams client: holds the configuration shared by all streams (HTTP client,
 * retry policy, default headers and query parameters, error hook, JSON codec) and hands out
 * {@link DurableStream} handles.
 *
 * <pre>{@code
 * DurableStreamsClient client = DurableStreamsClient.newBuilder()
 *         .header("Authorization", () -> "Bearer " + tokens.current())
 *         .build();
 * DurableStream stream = client.stream("https://streams.example.com/v1/orders");
 * }</pre>
 *
 * <h2>Should be shared</h2>
 * Instances are immutable and thread-safe. Create one per application (or per server/credential set)
 * and reuse it: each instance wraps one {@link HttpClient} with its own connection pool.
 *
 * <h2>Closing</h2>
 * The client holds no resources of its own beyond the JDK {@link HttpClient}, which releases its pool
 * when unreachable; there is nothing to close. Close what it hands out instead: {@link ReadResponse}s
 * (live reads hold a connection) and {@link IdempotentProducer}s (they hold threads).
 */
public final class DurableStreamsClient {
    private final URI baseUrl;
    private final Transport transport;
    private final JsonCodec json;
    private final Executor executor;

    private DurableStreamsClient(Builder b) {
        this.baseUrl = b.baseUrl;
        this.json = b.json;
        this.executor = b.executor != null ? b.executor : AsyncPool.EXECUTOR;
        HttpClient http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build();
        this.transport = new Transport(http, new RequestDefaults(b.headers, b.params), b.retryPolicy,
                new Backoff(b.retryPolicy, b.random), b.errorHandler, b.retryUnsafeAppends, b.requestTimeout,
                b.clock);
    }

    /** A builder with defaults: {@link RetryPolicy#DEFAULT}, no extra headers, {@link SimpleJsonCodec}. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** A client with all defaults. */
    public static DurableStreamsClient create() {
        return newBuilder().build();
    }

    /**
     * A handle to the stream at {@code urlOrPath}: an absolute URL, or a path resolved against the
     * builder's {@link Builder#baseUrl base URL}. No request is made.
     */
    public DurableStream stream(String urlOrPath) {
        return stream(urlOrPath, null);
    }

    /** A handle to the stream at {@code url}. No request is made. */
    public DurableStream stream(URI url) {
        return stream(url, null);
    }

    /**
     * A handle to a stream whose content type the caller already knows (saves a {@code head()} before
     * appending). No request is made.
     */
    public DurableStream stream(String urlOrPath, String contentType) {
        Objects.requireNonNull(urlOrPath, "urlOrPath");
        return stream(baseUrl == null ? URI.create(urlOrPath) : baseUrl.resolve(urlOrPath), contentType);
    }

    private DurableStream stream(URI url, String contentType) {
        Objects.requireNonNull(url, "url");
        if (!url.isAbsolute() || url.getHost() == null) {
            throw new IllegalArgumentException("url must be an absolute http(s) URL, was " + url);
        }
        return new DurableStream(this, url, contentType);
    }

    Transport transport() {
        return transport;
    }

    JsonCodec json() {
        return json;
    }

    /** Runs a blocking call on the async executor; the future fails with what the call throws. */
    <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, executor);
    }

    /** The default executor of async calls: daemon threads, created on demand, gone after a minute idle. */
    private static final class AsyncPool {
        static final Executor EXECUTOR = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "durable-streams-async");
            t.setDaemon(true);
            return t;
        });
    }

    /** Configures a {@link DurableStreamsClient}. Not thread-safe; build once. */
    public static final class Builder {
        private URI baseUrl;
        private HttpClient httpClient;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private final Map<String, Supplier<String>> headers = new LinkedHashMap<>();
        private final Map<String, Supplier<String>> params = new LinkedHashMap<>();
        private ErrorHandler errorHandler = ErrorHandler.STOP;
        private JsonCodec json = SimpleJsonCodec.INSTANCE;
        private boolean retryUnsafeAppends;
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private Executor executor;

        private Builder() {
        }

        /**
         * Base URL against which {@link #stream(String)} resolves relative paths. It names the
         * directory the streams live in, so a missing trailing slash is added:
         * {@code http://h/v1/stream} and {@code http://h/v1/stream/} both put stream {@code chat}
         * at {@code http://h/v1/stream/chat} (plain URI resolution would drop the last segment and
         * send requests to {@code /v1/chat}).
         */
        public Builder baseUrl(String baseUrl) {
            URI uri = URI.create(Objects.requireNonNull(baseUrl, "baseUrl"));
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL, was " + baseUrl);
            }
            String path = uri.getRawPath();
            if (path == null || !path.endsWith("/")) {
                String withSlash = (path == null ? "" : path) + "/";
                uri = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + withSlash
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            }
            this.baseUrl = uri;
            return this;
        }

        /**
         * The JDK client to use, for example one with an executor, proxy or TLS settings. The default is
         * an HTTP/1.1 client with a 10 s connect timeout.
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** How transient failures are retried. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** A header sent on every request. */
        public Builder header(String name, String value) {
            Objects.requireNonNull(value, "value");
            headers.put(Objects.requireNonNull(name, "name"), () -> value);
            return this;
        }

        /**
         * A header whose value is computed for every HTTP request, retries and reconnects included
         * (for example a short-lived token). A {@code null} value omits the header. The supplier is
         * called on request threads and must be thread-safe.
         */
        public Builder header(String name, Supplier<String> value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** A query parameter sent on every request. */
        public Builder param(String name, String value) {
            Objects.requireNonNull(value, "value");
            params.put(Objects.requireNonNull(name, "name"), () -> value);
            return this;
        }

        /** A query parameter computed for every HTTP request; {@code null} omits it. Must be thread-safe. */
        public Builder param(String name, Supplier<String> value) {
            params.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The {@code onError} hook; see {@link ErrorHandler}. */
        public Builder onError(ErrorHandler errorHandler) {
            this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
            return this;
        }

        /** The JSON codec used for JSON-mode reads and producer JSON appends. */
        public Builder jsonCodec(JsonCodec json) {
            this.json = Objects.requireNonNull(json, "json");
            return this;
        }

        /**
         * Whether plain (non-producer) appends are retried after a network failure that happened once
         * the request may have reached the server. Default {@code false}: such a retry can store the
         * data twice. Appends refused with 5xx/429, and connections that never opened, are retried
         * either way. Use an {@link IdempotentProducer} for retries without duplicates.
         */
        public Builder retryUnsafeAppends(boolean retryUnsafeAppends) {
            this.retryUnsafeAppends = retryUnsafeAppends;
            return this;
        }

        /**
         * Time allowed until response headers arrive (default 60 s); {@code null} for none. It bounds
         * long-poll requests too (a timed-out poll is retried like a network error), so keep it above
         * the server's long-poll timeout. It does not bound an SSE body once it streams.
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** The clock used to interpret HTTP-date {@code Retry-After} values (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The source of backoff jitter, uniform in {@code [0, 1)} (tests). */
        public Builder jitter(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Where the {@code *Async} methods of {@link DurableStream} run their (blocking, retrying)
         * requests. The default is a pool of daemon threads shared by all clients, created on demand.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Builds the client. */
        public DurableStreamsClient build() {
            return new DurableStreamsClient(this);
        }
    }
}
