package io.durablestreams.server.common;

import io.durablestreams.engine.StreamEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's meters, the same in every binding: requests by operation and status with latency
 * histograms, appended and read bytes, live connections by mode, streams, store bytes, sync rounds, bytes freed by retention.
 * Registered in the registry the binding's host gives (the Netty server's Prometheus registry
 * behind {@code /metrics}, or an application's Micrometer registry). Thread-safe.
 */
public final class ServerMetrics {
    private final MeterRegistry registry;
    private final Counter appends;
    private final Counter appendBytes;
    private final Counter readBytes;
    private final Counter sendfileBytes;
    private final AtomicInteger sse = new AtomicInteger();
    private final AtomicInteger longPoll = new AtomicInteger();
    private final AtomicInteger openExchanges = new AtomicInteger();
    private final java.util.concurrent.ConcurrentHashMap<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    public ServerMetrics(StreamEngine engine, MeterRegistry registry) {
        this.registry = registry;
        appends = Counter.builder("ds.appends").description("Acknowledged appends").register(registry);
        appendBytes = Counter.builder("ds.append.bytes").baseUnit("bytes").description("Bytes in acknowledged appends").register(registry);
        readBytes = Counter.builder("ds.read.bytes").baseUnit("bytes").description("Body bytes sent by reads").register(registry);
        sendfileBytes = Counter.builder("ds.read.sendfile.bytes").baseUnit("bytes")
                .description("Read body bytes sent with zero copy (sendfile)").register(registry);
        Gauge.builder("ds.live.connections", sse, AtomicInteger::get).tag("mode", "sse")
                .description("Open live reads").register(registry);
        Gauge.builder("ds.live.connections", longPoll, AtomicInteger::get).tag("mode", "long-poll")
                .description("Open live reads").register(registry);
        Gauge.builder("ds.streams", engine, StreamEngine::streamCount).description("Streams, soft-deleted included").register(registry);
        Gauge.builder("ds.store.bytes", engine, StreamEngine::storedBytes).baseUnit("bytes")
                .description("Stream data held by the store (-1: unknown)").register(registry);
        Timer fsync = Timer.builder("ds.fsync").description("Durability sync rounds of the store (group commit)")
                .publishPercentileHistogram().register(registry);
        engine.onStorageSync(nanos -> fsync.record(nanos, TimeUnit.NANOSECONDS));
        Counter reclaimed = Counter.builder("ds.retention.reclaimed.bytes").baseUnit("bytes")
                .description("Stream data freed by retention (docs/extensions/retention.md)").register(registry);
        engine.onReclaimed(reclaimed::increment);
    }

    /**
     * One request answered (its response completely written): its latency, and the bytes it
     * appended or read when it succeeded.
     */
    public void completed(String operation, String method, int status, long nanos, long requestBytes, long responseBytes) {
        request(operation, status, nanos);
        if (status < 300) {
            if (operation.equals(Operations.APPEND) || (operation.equals(Operations.CREATE) && requestBytes > 0)) {
                appended(requestBytes);
            } else if (method.equals("GET")) {
                read(responseBytes);
            }
        }
    }

    private void request(String operation, int status, long nanos) {
        // looked up once per (operation, status): building a meter per request costs more than recording
        timers.computeIfAbsent(operation + ' ' + status, k -> Timer.builder("ds.requests")
                        .description("Requests by operation and status")
                        .tag("op", operation)
                        .tag("status", Integer.toString(status))
                        .publishPercentileHistogram()
                        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(50))
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Requests received whose response has not been completely written yet. */
    public int openExchanges() {
        return openExchanges.get();
    }

    public void exchangeOpened() {
        openExchanges.incrementAndGet();
    }

    public void exchangeClosed() {
        openExchanges.decrementAndGet();
    }

    private void appended(long bytes) {
        appends.increment();
        appendBytes.increment(bytes);
    }

    private void read(long bytes) {
        readBytes.increment(bytes);
    }

    public void sentFile(long bytes) {
        sendfileBytes.increment(bytes);
    }

    public AtomicInteger live(String operation) {
        return switch (operation) {
            case Operations.READ_SSE -> sse;
            case Operations.READ_LONG_POLL -> longPoll;
            default -> null;
        };
    }
}
