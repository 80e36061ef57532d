package io.durablestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.store.file.FileStorage;
import io.durablestreams.store.file.FileStoreConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ds serve} refusing to start: one line on stderr, no stack trace, the documented exit code.
 * The data directory and database cases run {@code ds} as its own process, so its real stderr (log
 * output included) and exit status are what is checked, and the lock is held by another process.
 */
@Timeout(60)
class ServeStartupTest {
    @TempDir
    Path dir;

    @Test
    void aDataDirectoryInUseByAnotherProcessExits5WithOneLine() throws Exception {
        Path data = dir.resolve("data");
        FileStorage holder = new FileStorage(FileStoreConfig.defaults(data));
        try {
            Run r = serveProcess("--data-dir", data.toString());
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.UNAVAILABLE);
            assertThat(r.stderrLines()).as(r.toString()).containsExactly("ds serve: data directory " + data
                    + " is in use by another process (lock held on " + data.resolve("lock") + ")");
        } finally {
            holder.close();
        }
    }

    @Test
    void anUnusableDataDirectoryExits5WithOneLine() throws Exception {
        // a path under a regular file cannot be created, even by root (tests may run as root)
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path data = file.resolve("sub");
        Run r = serveProcess("--data-dir", data.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(r.stderrLines()).as(r.toString()).hasSize(1);
        assertThat(r.stderrLines().get(0)).startsWith("ds serve: cannot use data directory " + data + ": ")
                .contains("Not a directory");
    }

    @Test
    void aRefusedOptionExits1BeforeTheDataDirectoryIsTouched() {
        Path data = dir.resolve("data");
        Cli.Result r = new Cli("http://127.0.0.1:1").run("serve", "--port", "0", "--data-dir", data.toString(),
                "--auth-token", "t:read=a/|");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.stderr().lines()).as(r.toString()).singleElement().asString()
                .startsWith("ds serve: ").contains("empty prefix").doesNotContain("Exception");
        assertThat(data).doesNotExist();

        Cli.Result noSecret = new Cli("http://127.0.0.1:1").run("serve", "--port", "0", "--data-dir", data.toString(),
                "--jwt-hs256-secret-file", dir.resolve("missing").toString());
        assertThat(noSecret.code()).as(noSecret.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(noSecret.stderr().lines()).as(noSecret.toString()).containsExactly(
                "ds serve: cannot read --jwt-hs256-secret-file " + dir.resolve("missing") + ": no such file");
        assertThat(data).doesNotExist();
    }

    @Test
    void aPortInUseExits5WithOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Result r = new Cli("http://127.0.0.1:1").run("serve", "--store", "memory", "--host", "127.0.0.1",
                    "--port", Integer.toString(taken.getLocalPort()));
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.UNAVAILABLE);
            assertThat(r.stderr().lines()).as(r.toString()).singleElement().asString()
                    .startsWith("ds serve: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
        }
    }

    @Test
    void thePostgresStoreNeedsAUsableUrlAndPassword() {
        Cli ds = new Cli("http://127.0.0.1:1");
        Cli.Result noUrl = ds.run("serve", "--port", "0", "--store", "postgres");
        assertThat(noUrl.code()).as(noUrl.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(noUrl.stderr().lines()).as(noUrl.toString()).containsExactly(
                "ds serve: --store postgres needs --postgres-url postgresql://USER@HOST:PORT/DB (or DS_POSTGRES_URL)");

        Cli.Result badUrl = ds.run("serve", "--port", "0", "--store", "postgres", "--postgres-url", "postgresql://db.example");
        assertThat(badUrl.code()).as(badUrl.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(badUrl.stderr().lines()).as(badUrl.toString()).singleElement().asString()
                .startsWith("ds serve: PostgreSQL URL names no database");

        Cli.Result noPassword = ds.run("serve", "--port", "0", "--store", "postgres", "--postgres-url", "postgresql://ds@db.example/ds",
                "--postgres-password-file", dir.resolve("missing").toString());
        assertThat(noPassword.code()).as(noPassword.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(noPassword.stderr().lines()).as(noPassword.toString()).containsExactly(
                "ds serve: cannot read --postgres-password-file " + dir.resolve("missing") + ": no such file");

        Cli.Result tinyPool = ds.run("serve", "--port", "0", "--store", "postgres", "--postgres-url", "postgresql://ds@db.example/ds",
                "--postgres-pool-size", "1");
        assertThat(tinyPool.code()).as(tinyPool.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(tinyPool.stderr().lines()).as(tinyPool.toString()).singleElement().asString().contains("pool size must be at least 2");
    }

    @Test
    void anUnreachableDatabaseExits5WithOneLine() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        // the URL from the environment, as a deployment would give it
        Run r = serveProcess(Map.of("DS_POSTGRES_URL", "postgresql://ds@127.0.0.1:" + closed + "/ds"), "--store", "postgres");
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(r.stderrLines()).as(r.toString()).singleElement().asString()
                .startsWith("ds serve: cannot use PostgreSQL jdbc:postgresql://127.0.0.1:" + closed + "/ds (user ds): ")
                .doesNotContain("Exception");
    }

    /** Runs {@code ds serve --port 0 ARGS} as a child JVM; it must exit by itself. */
    private Run serveProcess(String... args) throws Exception {
        return serveProcess(Map.of(), args);
    }

    private Run serveProcess(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Ds.class.getName(), "serve", "--port", "0"));
        command.addAll(List.of(args));
        Path stderr = dir.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ds serve kept running");
        }
        return new Run(p.exitValue(), Files.readString(stderr, StandardCharsets.UTF_8));
    }

    private record Run(int code, String stderr) {
        List<String> stderrLines() {
            return stderr.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stderr\n" + stderr;
        }
    }
}
