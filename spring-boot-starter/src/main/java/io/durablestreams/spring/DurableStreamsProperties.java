package io.durablestreams.spring;

import io.durablestreams.engine.EngineConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code durable-streams.*}: the server mounted in this application, and the client bean. */
@ConfigurationProperties("durable-streams")
public class DurableStreamsProperties {
    private final Server server = new Server();
    private final Client client = new Client();

    public Server getServer() {
        return server;
    }

    public Client getClient() {
        return client;
    }

    /** Where streams are stored. */
    public enum Store { MEMORY, FILE, POSTGRES }

    /** {@code durable-streams.server.*} */
    public static class Server {
        /** Mount the Durable Streams servlet in this application. */
        private boolean enabled;
        /** URL path the streams live under (below the context path). */
        private String path = "/streams";
        /** Where streams are stored: memory (lost on restart), file (durable), or postgres (shared by nodes). */
        private Store store = Store.FILE;
        /** Directory of the file store. */
        private Path dataDir = Path.of("data");
        /** JDBC-style URL of the PostgreSQL store: postgresql://USER[:PASSWORD]@HOST[:PORT]/DB. */
        private String postgresUrl;
        /** How long a long-poll waits for data before answering 204. */
        private Duration longPollTimeout = Duration.ofMillis(EngineConfig.DEFAULT_LONG_POLL_TIMEOUT_MILLIS);
        /** Lifetime of one SSE response; clients then reconnect (through caches). */
        private Duration sseReconnectInterval = Duration.ofMillis(EngineConfig.DEFAULT_SSE_RECONNECT_MILLIS);
        /** Largest accepted request body in bytes; larger ones get 413. */
        private int maxAppendBytes = EngineConfig.DEFAULT_MAX_APPEND_BYTES;
        /** Most body bytes in one read response. */
        private int readChunkBytes = EngineConfig.DEFAULT_READ_CHUNK_BYTES;
        /** Access-Control-Allow-Origin on every response. */
        private String corsOrigin = "*";
        /** scheme://host[:port] clients use, for Location headers and webhook callback URLs; default: the local server. */
        private String publicUrl;
        /** Development only: allow subscription webhooks to localhost, 127.0.0.x and [::1], also over http. */
        private boolean allowLocalWebhooks;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public Store getStore() {
            return store;
        }

        public void setStore(Store store) {
            this.store = store;
        }

        public Path getDataDir() {
            return dataDir;
        }

        public void setDataDir(Path dataDir) {
            this.dataDir = dataDir;
        }

        public String getPostgresUrl() {
            return postgresUrl;
        }

        public void setPostgresUrl(String postgresUrl) {
            this.postgresUrl = postgresUrl;
        }

        public Duration getLongPollTimeout() {
            return longPollTimeout;
        }

        public void setLongPollTimeout(Duration longPollTimeout) {
            this.longPollTimeout = longPollTimeout;
        }

        public Duration getSseReconnectInterval() {
            return sseReconnectInterval;
        }

        public void setSseReconnectInterval(Duration sseReconnectInterval) {
            this.sseReconnectInterval = sseReconnectInterval;
        }

        public int getMaxAppendBytes() {
            return maxAppendBytes;
        }

        public void setMaxAppendBytes(int maxAppendBytes) {
            this.maxAppendBytes = maxAppendBytes;
        }

        public int getReadChunkBytes() {
            return readChunkBytes;
        }

        public void setReadChunkBytes(int readChunkBytes) {
            this.readChunkBytes = readChunkBytes;
        }

        public String getCorsOrigin() {
            return corsOrigin;
        }

        public void setCorsOrigin(String corsOrigin) {
            this.corsOrigin = corsOrigin;
        }

        public String getPublicUrl() {
            return publicUrl;
        }

        public void setPublicUrl(String publicUrl) {
            this.publicUrl = publicUrl;
        }

        public boolean isAllowLocalWebhooks() {
            return allowLocalWebhooks;
        }

        public void setAllowLocalWebhooks(boolean allowLocalWebhooks) {
            this.allowLocalWebhooks = allowLocalWebhooks;
        }

        /** The engine's limits and timings from these properties. */
        EngineConfig engineConfig() {
            return EngineConfig.defaults()
                    .withLongPollTimeoutMillis(longPollTimeout.toMillis())
                    .withSseReconnectMillis(sseReconnectInterval.toMillis())
                    .withMaxAppendBytes(maxAppendBytes)
                    .withReadChunkBytes(readChunkBytes);
        }

        /** The path with a leading slash and without a trailing one: {@code /streams}. */
        String normalizedPath() {
            String p = path.startsWith("/") ? path : "/" + path;
            return p.replaceAll("/+$", "");
        }
    }

    /** {@code durable-streams.client.*} */
    public static class Client {
        /** Stream root of the server, e.g. http://localhost:8080/streams/; the client bean exists only when set. */
        private String baseUrl;
        /** A static bearer token sent as Authorization (a DurableStreamsAuthHeader bean takes precedence). */
        private String bearerToken;
        /** Retries of a failed request (network errors, 429, 5xx); 0 disables retrying. */
        private int maxRetries = 5;
        /** Delay before the first retry, doubled per attempt. */
        private Duration initialRetryDelay = Duration.ofMillis(100);
        /** Longest delay between retries. */
        private Duration maxRetryDelay = Duration.ofSeconds(5);
        /** Timeout of one request (not of live reads, which the server ends). */
        private Duration requestTimeout;

        public String getBaseUrl() {
            return baseUrl;
        }

        public void setBaseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        public String getBearerToken() {
            return bearerToken;
        }

        public void setBearerToken(String bearerToken) {
            this.bearerToken = bearerToken;
        }

        public int getMaxRetries() {
            return maxRetries;
        }

        public void setMaxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
        }

        public Duration getInitialRetryDelay() {
            return initialRetryDelay;
        }

        public void setInitialRetryDelay(Duration initialRetryDelay) {
            this.initialRetryDelay = initialRetryDelay;
        }

        public Duration getMaxRetryDelay() {
            return maxRetryDelay;
        }

        public void setMaxRetryDelay(Duration maxRetryDelay) {
            this.maxRetryDelay = maxRetryDelay;
        }

        public Duration getRequestTimeout() {
            return requestTimeout;
        }

        public void setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
        }
    }
}
