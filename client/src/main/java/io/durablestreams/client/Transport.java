package io.durablestreams.client;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * The shared, immutable pipeline every request goes through: defaults, then retry, then the JDK
 * {@link HttpClient}. A {@link Call} is one request's trip through it.
 */
final class Transport {
    final HttpClient http;
    final RequestDefaults defaults;
    final RetryPolicy retryPolicy;
    final Backoff backoff;
    final ErrorHandler errorHandler;
    final boolean retryUnsafeAppends;
    final Duration requestTimeout;
    final Clock clock;

    Transport(HttpClient http, RequestDefaults defaults, RetryPolicy retryPolicy, Backoff backoff,
              ErrorHandler errorHandler, boolean retryUnsafeAppends, Duration requestTimeout, Clock clock) {
        this.http = http;
        this.defaults = defaults;
        this.retryPolicy = retryPolicy;
        this.backoff = backoff;
        this.errorHandler = errorHandler;
        this.retryUnsafeAppends = retryUnsafeAppends;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    Call newCall(Request request) {
        return new Call(this, request);
    }

    /** Runs {@code request} to completion and returns its 2xx/3xx response, or throws the typed failure. */
    Response execute(Request request) {
        return newCall(request).execute();
    }
}
