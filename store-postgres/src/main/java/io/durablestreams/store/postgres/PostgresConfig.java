package io.durablestreams.store.postgres;

import java.time.Duration;

/**
 * How a node reaches its database.
 *
 * @param url            where the database is, and as whom
 * @param poolSize       connections for requests and group commits (LISTEN takes one more of its own)
 * @param connectTimeout how long a request waits for a connection before it is answered 503; also the
 *                       driver's connect and socket-read bound, so a database that stops answering is
 *                       noticed within about this time rather than hanging a request
 */
public record PostgresConfig(PostgresUrl url, int poolSize, Duration connectTimeout) {
    public static final int DEFAULT_POOL_SIZE = 8;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    public PostgresConfig {
        if (poolSize < 2) {
            throw new IllegalArgumentException("PostgreSQL pool size must be at least 2, got " + poolSize);
        }
    }

    public static PostgresConfig of(String url) {
        return new PostgresConfig(PostgresUrl.parse(url), DEFAULT_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT);
    }
}
