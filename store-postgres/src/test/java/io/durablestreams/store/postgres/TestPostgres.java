package io.durablestreams.store.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for tests: the one named by {@code DS_TEST_POSTGRES_URL} (CI starts it
 * with {@code scripts/postgres.sh}), else one this JVM starts with that script in a temporary
 * directory and stops at exit. Each {@link #freshDatabase()} is a new, empty database, so tests never
 * see each other's rows. Without PostgreSQL the tests are skipped, except under {@code CI=true},
 * where that is a failure.
 */
public final class TestPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static String serverUrl;

    private TestPostgres() {
    }

    /** A URL ({@code postgresql://...}) of a new empty database. */
    public static synchronized String freshDatabase() {
        String server = server();
        PostgresUrl admin = PostgresUrl.parse(server);
        String name = "ds_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + admin + ": " + e.getMessage(), e);
        }
        return server.substring(0, server.lastIndexOf('/') + 1) + name;
    }

    private static String server() {
        if (serverUrl != null) {
            return serverUrl;
        }
        String env = System.getenv("DS_TEST_POSTGRES_URL");
        if (env != null && !env.isBlank()) {
            return serverUrl = env.trim();
        }
        Path script = Path.of("..", "scripts", "postgres.sh").toAbsolutePath().normalize();
        if (!Files.isExecutable(script)) {
            return unavailable("scripts/postgres.sh not found from " + Path.of("").toAbsolutePath());
        }
        try {
            Path dir = Files.createTempDirectory("ds-test-pg");
            String url = run(script.toString(), "start", dir.toString());
            if (url == null) {
                return unavailable("scripts/postgres.sh could not start PostgreSQL (apt-get install -y postgresql)");
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                run(script.toString(), "stop", dir.toString());
                deleteTree(dir);
            }));
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
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp dir
        }
    }
}
