package io.durablestreams.crashtest;

import io.durablestreams.store.postgres.PostgresUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for the cluster tests: the one named by {@code DS_TEST_POSTGRES_URL}
 * ({@code postgresql://USER[:PASSWORD]@HOST:PORT/DB}, a user allowed to create databases), else one
 * this JVM starts with {@code scripts/postgres.sh} in a temporary directory and stops at exit. Each
 * {@link #freshDatabase()} is a new, empty database. Without PostgreSQL the tests are skipped,
 * except under {@code CI=true}, where that is a failure.
 */
final class TestPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static String serverUrl;
    /** The server this JVM started (null when it uses DS_TEST_POSTGRES_URL's). */
    private static PostgresControl started;

    private TestPostgres() {
    }

    /** The {@code postgresql://} URL of a new empty database, as {@code ds serve --postgres-url} takes it. */
    static synchronized String freshDatabase() {
        String server = server();
        String name = "ds_cluster_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = connect(server); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        String base = server.contains("?") ? server.substring(0, server.indexOf('?')) : server;
        String query = server.contains("?") ? server.substring(server.indexOf('?')) : "";
        return base.substring(0, base.lastIndexOf('/') + 1) + name + query;
    }

    /**
     * Crash and restart of the server, for a test that needs them: only of a server this JVM
     * started (the test is skipped with {@code DS_TEST_POSTGRES_URL}: that server is not ours to crash).
     */
    static synchronized PostgresControl control() {
        server();
        Assumptions.assumeTrue(started != null, "DS_TEST_POSTGRES_URL names a server this test must not crash");
        return started;
    }

    /** Drops a database {@link #freshDatabase()} made, once nothing uses it any more. */
    static synchronized void drop(String databaseUrl) {
        String name = PostgresUrl.parse(databaseUrl).jdbcUrl().replaceFirst("^.*/([^/?]+).*$", "$1");
        try (Connection c = connect(server()); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
        }
    }

    /** A JDBC connection to a database named by a {@code postgresql://} URL (the store's own parser reads it). */
    static Connection connect(String url) throws SQLException {
        PostgresUrl u = PostgresUrl.parse(url);
        return DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password());
    }

    private static String server() {
        if (serverUrl != null) {
            return serverUrl;
        }
        String env = System.getenv("DS_TEST_POSTGRES_URL");
        if (env != null && !env.isBlank()) {
            return serverUrl = env.trim().replaceFirst("^jdbc:", "");
        }
        Path script = Path.of("..", "scripts", "postgres.sh").toAbsolutePath().normalize();
        if (!Files.isExecutable(script)) {
            return unavailable("scripts/postgres.sh not found from " + Path.of("").toAbsolutePath());
        }
        try {
            Path dir = Files.createTempDirectory("ds-cluster-test-pg");
            String url = run(script.toString(), "start", dir.toString());
            if (url == null) {
                return unavailable("scripts/postgres.sh could not start PostgreSQL (apt-get install -y postgresql)");
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                run(script.toString(), "stop", dir.toString());
                deleteTree(dir);
            }));
            started = new PostgresControl(script, dir, dir.resolve("control.log"));
            return serverUrl = url;
        } catch (IOException e) {
            return unavailable(e.getMessage());
        }
    }

    private static String unavailable(String why) {
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("PostgreSQL is required under CI=true: " + why);
        }
        Assumptions.abort("PostgreSQL unavailable: " + why);
        return null;
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temporary directory
        }
    }
}
