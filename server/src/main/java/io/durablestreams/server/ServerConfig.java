package io.durablestreams.server;

import io.durablestreams.engine.EngineConfig;

/**
 * How the HTTP server listens and what it allows.
 *
 * @param host           interface to bind
 * @param port           TCP port; 0 picks a free one
 * @param streamRoot     URL path under which streams live, with leading and trailing slash
 * @param allowedOrigin  value of {@code Access-Control-Allow-Origin}
 * @param publicBaseUrl  scheme://host[:port] clients use to reach us, or null to take it from
 *                       the request's Host header
 * @param engine         protocol limits and timings
 */
public record ServerConfig(String host, int port, String streamRoot, String allowedOrigin,
                           String publicBaseUrl, EngineConfig engine) {
    public static final int DEFAULT_PORT = 4437;
    public static final String DEFAULT_STREAM_ROOT = "/v1/stream/";

    public ServerConfig {
        if (!streamRoot.startsWith("/") || !streamRoot.endsWith("/")) {
            throw new IllegalArgumentException("stream root must start and end with '/': " + streamRoot);
        }
    }

    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", DEFAULT_PORT, DEFAULT_STREAM_ROOT, "*", null, EngineConfig.defaults());
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(host, p, streamRoot, allowedOrigin, publicBaseUrl, engine);
    }

    public ServerConfig withHost(String h) {
        return new ServerConfig(h, port, streamRoot, allowedOrigin, publicBaseUrl, engine);
    }

    public ServerConfig withEngine(EngineConfig e) {
        return new ServerConfig(host, port, streamRoot, allowedOrigin, publicBaseUrl, e);
    }
}
