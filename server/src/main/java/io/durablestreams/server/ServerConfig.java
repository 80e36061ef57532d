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
 * @param connections               header and idle timeouts and the connection limit
 * @param console                   serve the web console under {@code /console/}
 */
public record ServerConfig(String host, int port, String streamRoot, String allowedOrigin,
                           String publicBaseUrl, EngineConfig engine, Tls tls, boolean h2c,
                           int compressionThresholdBytes, AuthConfig auth, RateLimit rateLimit,
                           AccessLog accessLog, long shutdownGraceMillis,
                           boolean testFaults, Connections connections, boolean console) {
    public static final int DEFAULT_PORT = 4437;
    public static final String DEFAULT_STREAM_ROOT = "/v1/stream/";
    /** {@value} */
    public static final int DEFAULT_COMPRESSION_THRESHOLD_BYTES = 4096;
    /** {@value} */
    public static final long DEFAULT_SHUTDOWN_GRACE_MILLIS = 10_000;

    /** PEM files of the server certificate chain and its private key (PKCS#8, or PKCS#1 for RSA). */
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

    /**
     * What a connection may cost: on HTTP/1.1, the whole request head must arrive within
     * {@code headerTimeoutMillis} of the connection's start or of the first byte of the request (else
     * {@code 408} and close); a connection is closed after {@code idleTimeoutMillis} without traffic
     * unless it has a request whose response is still to come (a live read, an append waiting for
     * durability); an HTTP/2 connection is closed after that long without traffic and without open
     * streams. Connections beyond {@code maxConnections} are answered {@code 503} with
     * {@code Retry-After} and closed, so the descriptors the store needs are never taken by sockets.
     */
    public record Connections(long headerTimeoutMillis, long idleTimeoutMillis, int maxConnections) {
        /** {@value} */
        public static final long DEFAULT_HEADER_TIMEOUT_MILLIS = 10_000;
        /** {@value}: above the 60 s idle timeout of common load balancers, so they close first. */
        public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 65_000;
        /** Descriptors left to the process beyond the store's own: journal, catalog, jars, epoll, webhooks: {@value}. */
        static final int RESERVED_DESCRIPTORS = 256;
        /** The limit when the process's open-file limit cannot be read: {@value}. */
        static final int FALLBACK_MAX_CONNECTIONS = 4096;

        public Connections {
            if (headerTimeoutMillis <= 0 || idleTimeoutMillis <= 0 || maxConnections < 1) {
                throw new IllegalArgumentException("connection timeouts and limit must be positive: header "
                        + headerTimeoutMillis + " ms, idle " + idleTimeoutMillis + " ms, max " + maxConnections);
            }
        }

        /** The default timeouts, and a limit that leaves the store its 1024 default file handles. */
        public static Connections defaults() {
            return new Connections(DEFAULT_HEADER_TIMEOUT_MILLIS, DEFAULT_IDLE_TIMEOUT_MILLIS, defaultMaxConnections(1024));
        }

        /**
         * The process's open-file limit (RLIMIT_NOFILE) minus {@code storageFiles} minus
         * {@value #RESERVED_DESCRIPTORS}, but at least a quarter of the limit;
         * {@value #FALLBACK_MAX_CONNECTIONS} when the limit cannot be read.
         */
        public static int defaultMaxConnections(int storageFiles) {
            return maxConnectionsFor(OpenFileLimit.current(), storageFiles);
        }

        static int maxConnectionsFor(long openFileLimit, int storageFiles) {
            if (openFileLimit <= 0) {
                return FALLBACK_MAX_CONNECTIONS;
            }
            long spare = openFileLimit - storageFiles - RESERVED_DESCRIPTORS;
            return (int) Math.min(Integer.MAX_VALUE, Math.max(Math.max(1, openFileLimit / 4), spare));
        }
    }

    public ServerConfig {
        if (!streamRoot.startsWith("/") || !streamRoot.endsWith("/")) {
            throw new IllegalArgumentException("stream root must start and end with '/': " + streamRoot);
        }
        if (compressionThresholdBytes < 0 || shutdownGraceMillis < 0) {
            throw new IllegalArgumentException("compression threshold and shutdown grace must not be negative");
        }
        if (connections == null) {
            throw new IllegalArgumentException("connection limits are required");
        }
    }

    /** Plain HTTP/1.1 with no auth, rate limit or access log, the default connection limits, and the console. */
    public ServerConfig(String host, int port, String streamRoot, String allowedOrigin, String publicBaseUrl,
                        EngineConfig engine) {
        this(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, null, false,
                DEFAULT_COMPRESSION_THRESHOLD_BYTES, null, null, AccessLog.OFF, DEFAULT_SHUTDOWN_GRACE_MILLIS, false,
                Connections.defaults(), true);
    }

    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", DEFAULT_PORT, DEFAULT_STREAM_ROOT, "*", null, EngineConfig.defaults());
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(host, p, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults, connections, console);
    }

    public ServerConfig withEngine(EngineConfig e) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, e, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults, connections, console);
    }

    public ServerConfig withTls(Tls t) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, t, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults, connections, console);
    }

    public ServerConfig withH2c(boolean enabled) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, enabled,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults, connections, console);
    }

    public ServerConfig withCompressionThresholdBytes(int bytes) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                bytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults, connections, console);
    }

    public ServerConfig withAuth(AuthConfig a) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, a, rateLimit, accessLog, shutdownGraceMillis, testFaults, connections, console);
    }

    public ServerConfig withRateLimit(RateLimit r) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, r, accessLog, shutdownGraceMillis, testFaults, connections, console);
    }

    public ServerConfig withAccessLog(AccessLog a) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, a, shutdownGraceMillis, testFaults, connections, console);
    }

    public ServerConfig withPublicBaseUrl(String url) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, url, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults, connections, console);
    }

    public ServerConfig withShutdownGraceMillis(long millis) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, millis, testFaults, connections, console);
    }

    public ServerConfig withAllowedOrigin(String origin) {
        return new ServerConfig(host, port, streamRoot, origin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults, connections, console);
    }

    public ServerConfig withTestFaults(boolean enabled) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, enabled, connections, console);
    }

    public ServerConfig withConnections(Connections c) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults, c, console);
    }

    public ServerConfig withConsole(boolean enabled) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults, connections, enabled);
    }

    public ServerConfig withHost(String h) {
        return new ServerConfig(h, port, streamRoot, allowedOrigin, publicBaseUrl, engine, tls, h2c,
                compressionThresholdBytes, auth, rateLimit, accessLog, shutdownGraceMillis, testFaults, connections, console);
    }
}
