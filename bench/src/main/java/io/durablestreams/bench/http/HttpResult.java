package io.durablestreams.bench.http;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * One complete HTTP response.
 *
 * @param body the body, or {@code null} when the request asked only for its size (large reads are
 *     counted, not buffered, so the load tool measures the server rather than its own copying)
 * @param completedNanos {@link System#nanoTime()} when the last byte arrived, taken on the event loop
 *     so that queueing behind other completions in the caller does not inflate latencies
 */
public record HttpResult(int status, HttpHeaders headers, byte[] body, long bodyBytes, long completedNanos) {
    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public String header(String name) {
        return headers.get(name);
    }
}
