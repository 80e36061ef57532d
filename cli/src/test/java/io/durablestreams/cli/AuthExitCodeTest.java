package io.durablestreams.cli;

import static io.durablestreams.cli.StreamCommandsTest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.server.auth.AuthConfig;
import io.durablestreams.server.auth.StaticToken;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Missing or insufficient credentials exit with {@link ExitCode#AUTH}; --auth and STREAM_AUTH send them. */
class AuthExitCodeTest {
    private static TestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.start(new AuthConfig(List.of(StaticToken.parse("admin:read=*:write=*"),
                StaticToken.parse("reader:read=*")), null, null));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void credentialsDecideTheOutcome() {
        Cli anonymous = new Cli(server.url());
        Cli admin = new Cli(server.url()).env("STREAM_AUTH", "admin");

        Cli.Result denied = anonymous.run("create", "secret");
        assertThat(denied.code()).isEqualTo(ExitCode.AUTH);
        assertThat(denied.stderr()).contains("401", "check --auth / STREAM_AUTH");

        ok(admin.run("create", "secret", "-t", "text/plain"));
        ok(anonymous.run("write", "secret", "hi", "--auth", "admin"));
        assertThat(anonymous.run("write", "secret", "x", "--auth", "reader").code()).isEqualTo(ExitCode.AUTH);
        assertThat(anonymous.run("read", "secret", "--auth", "wrong").code()).isEqualTo(ExitCode.AUTH);
        assertThat(ok(anonymous.run("read", "secret", "--auth", "reader")).out()).isEqualTo("hi");
    }
}
