package io.durablestreams.server;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.server.auth.AuthConfig;
import java.nio.file.Path;

/**
 * How the HTTP server listens and what it allows.
 *
 * @param host                      interface to bind
 * @param port                      TCP port; 0 picks a free one
 * @param streamRoot                URL path under which streams live, with leading and trailing slash
 * @param allowedOrigin             value of {@code Access-Control-Allow-Origin}
 * @param publicBaseUrl             scheme://host[:port] clients use to reach us, or null to take
 *                                  it from the request's Host header
 * @param engine                    protocol limits and timings
 * @param tls                       certificate and key for HTTPS (h2 and http/1.1 via ALPN), or null
 * @param h2c                       whether cleartext connections may speak HTTP/2 (prior knowledge or upgrade)
 * @param compressionThresholdBytes gzip catch-up bodies at least this large when the client
 *                                  accepts it; 0 disables compression
 * @param auth                      bearer-token and JWT authorization, or null for none
 * @param rateLimit                 per-client request rate limit, or null for none
 * @param accessLog                 access log format
 * @param shutdownGraceMillis       how long a graceful shutdown waits for in-flight work
 * @param testFaults                serve the fault-injection endpoint used by conformance tests (never in production)
 */
public record ServerConfig(String host, int port, String streamRoot, String allowedOrigin,
                           String publicBaseUrl, EngineConfig engine, Tls tls, boolean h2c,
                           int compressionThresholdBytes, AuthConfig auth, RateLimit rateLimit,
                           AccessLog accessLog, long shutdownGraceMillis,
                           boolean testFaults) {
    public static final int DEFAULT_PORT = 4437;
    public static final String DEFAULT_STREAM_ROOT = "/v1/stream/";
    /** {@value} */
    public static final int DEFAULT_COMPRESSION_THRESHOLD_BYTES = 4096;
    /** {@value} */
    public static final long DEFAULT_SHUTDOWN_GRACE_MILLIS = 10_000;

    /** PEM files of the server certificate chain and its private key (PKCS#8). */
    public record Tls(Path certificateChain, Path privateKey) {}

    /** At most {@code requestsPerSecond} sustained, {@code burst} at once, per client address. */
    public record RateLimit(double requestsPerSecond, int burst) {
        public RateLimit {
            if (!(requestsPerSecond > 0) || burst < 1) {
                throw new IllegalArgumentException("rate limit must be positive: " + requestsPerSecond + "/s, burst " + burst);
            }
        }
    }

    public enum AccessLog { OFF, TEXT, JSON }

    public ServerConfig {
        if (!streamRoot.startsWith("/") || !streamRoot.endsWith("/")) {
            throw new IllegalArgumentException("stream root must start and end with '/': " + streamRoot);
        }
        if (compressionThresholdBytes < 0 || shutdownGraceMillis < 0) {
            throw new IllegalArgumentException("compression threshold and shutdown grace must not be negative");
        }
    }

    /** Plain HTTP/1.1 with no auth, limits or access log. */
    public ServerConfig(String host, int port, String streamRoot, String allowedOrigin, String publicBaseUrl,
                        EngineConfig engine) {
        this(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, null, false,
                DEFAULT_COMPRESSION_THRESHOLD_BYTES, null, null, AccessLog.OFF, DEFAULT_SHUTDOWN_GRACE_MILLIS, false);
    }

    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", DEFAULT_PORT, DEFAULT_STREAM_ROOT, "*", null, EngineConfig.defaults());
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(host, p, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults);
    }

    public ServerConfig withEngine(EngineConfig e) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, e, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults);
    }

    public ServerConfig withTls(Tls t) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, t, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults);
    }

    public ServerConfig withH2c(boolean enabled) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, enabled,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults);
    }

    public ServerConfig withCompressionThresholdBytes(int bytes) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                bytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults);
    }

    public ServerConfig withAuth(AuthConfig a) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, a, rateLimit, accessLog, shutdownGraceMillis, testFaults);
    }

    public ServerConfig withRateLimit(RateLimit r) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, r, accessLog, shutdownGraceMillis, testFaults);
    }

    public ServerConfig withAccessLog(AccessLog a) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, a, shutdownGraceMillis, testFaults);
    }

    public ServerConfig withPublicBaseUrl(String url) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, url, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults);
    }

    public ServerConfig withShutdownGraceMillis(long millis) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, millis, testFaults);
    }

    public ServerConfig withAllowedOrigin(String origin) {
        return new ServerConfig(host, port, streamRoot, origin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults);
    }

    public ServerConfig withTestFaults(boolean enabled) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, enabled);
    }

    public ServerConfig withHost(String h) {
        return new ServerConfig(h, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults);
    }
}
