package io.durablestreams.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The node's connection pool to the shared database, with the schema migrated to this build's
 * version at start-up. Migrations are Flyway's versioned SQL scripts ({@code db/migration/V*__*.sql}):
 * they run once per database, in order, under Flyway's lock, so nodes starting together migrate
 * once; a node of an older build refuses a database migrated past what it knows.
 */
public final class PostgresDatabase implements AutoCloseable {
    private final HikariDataSource pool;
    private final PostgresConfig config;

    private PostgresDatabase(HikariDataSource pool, PostgresConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** Connects and migrates; throws {@link PostgresUnavailableException} if the database cannot be reached. */
    public static PostgresDatabase open(PostgresConfig config) {
        HikariDataSource pool = new HikariDataSource(hikari(config, config.poolSize(), "ds-postgres"));
        try {
            migrate(pool);
            return new PostgresDatabase(pool, config);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    static HikariConfig hikari(PostgresConfig config, int size, String name) {
        HikariConfig h = new HikariConfig();
        h.setPoolName(name);
        h.setJdbcUrl(config.url().jdbcUrl());
        if (config.url().user() != null) {
            h.setUsername(config.url().user());
        }
        if (config.url().password() != null) {
            h.setPassword(config.url().password());
        }
        h.setMaximumPoolSize(size);
        h.setMinimumIdle(Math.min(2, size));
        h.setConnectionTimeout(config.connectTimeout().toMillis());
        h.setValidationTimeout(Math.min(config.connectTimeout().toMillis(), 5000));
        // start even when the database is down: requests get 503 until it answers
        h.setInitializationFailTimeout(-1);
        long seconds = Math.max(1, config.connectTimeout().toSeconds());
        h.addDataSourceProperty("connectTimeout", Long.toString(seconds));
        h.addDataSourceProperty("socketTimeout", Long.toString(Math.max(30, seconds * 6)));
        h.addDataSourceProperty("tcpKeepAlive", "true");
        h.addDataSourceProperty("ApplicationName", "durable-streams");
        // a failed statement's message must not carry its values (stream data, names, producer ids) into logs
        h.addDataSourceProperty("logServerErrorDetail", "false");
        return h;
    }

    /** Flyway and HikariCP report every step at INFO; a node only needs to hear of problems. Held: JUL keeps loggers weakly. */
    private static final java.util.List<java.util.logging.Logger> QUIET = java.util.List.of(quiet("org.flywaydb"), quiet("com.zaxxer.hikari"));

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    private static void migrate(DataSource ds) {
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .table("ds_schema_history")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new PostgresUnavailableException("could not migrate the PostgreSQL schema: " + rootMessage(e), e);
        }
    }

    /** A pooled connection; waits at most the configured connect timeout. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    public DataSource dataSource() {
        return pool;
    }

    public PostgresConfig config() {
        return config;
    }

    /** Whether the database answers a trivial query now. */
    public boolean isReachable() {
        try (Connection c = pool.getConnection()) {
            return c.isValid((int) Math.max(1, Math.min(5, config.connectTimeout().toSeconds())));
        } catch (SQLException e) {
            return false;
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void close() {
        pool.close();
    }
}
