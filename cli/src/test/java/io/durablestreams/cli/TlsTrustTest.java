package io.durablestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.server.DurableStreamsServer;
import io.durablestreams.server.ServerConfig;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client commands against an HTTPS server with a self-signed certificate. */
class TlsTrustTest {
    private static SelfSignedCertificate cert;
    private static DurableStreamsServer server;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        cert = new SelfSignedCertificate("localhost");
        EngineConfig engineConfig = EngineConfig.defaults();
        server = new DurableStreamsServer(ServerConfig.defaults().withPort(0).withEngine(engineConfig)
                .withTls(new ServerConfig.Tls(cert.certificate().toPath(), cert.privateKey().toPath())),
                new StreamEngine(engineConfig, new MemoryStorage(), System::currentTimeMillis, RandomGenerator.getDefault()))
                .start();
        url = "https://localhost:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        cert.delete();
    }

    @Test
    void anUntrustedCertificateFailsWithAHintAtTheTrustOptions() {
        Cli.Result r = new Cli(url).run("create", "untrusted");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(r.stderr().strip()).as(r.toString()).hasLineCount(1)
                .contains("the server's certificate is not trusted: --cacert FILE");
    }

    @Test
    void cacertTrustsTheServersOwnCertificate() {
        Cli ds = new Cli(url).env("DS_CACERT", cert.certificate().getPath());

        assertThat(ds.run("create", "trusted").code()).isZero();
        assertThat(ds.run("write", "trusted", "over TLS").code()).isZero();
        assertThat(ds.run("read", "trusted").out()).isEqualTo("over TLS");
    }

    @Test
    void insecureAcceptsAnyCertificateAndHostName() {
        // 127.0.0.1 is not the certificate's name (localhost): only --insecure skips that check too
        Cli ds = new Cli("https://127.0.0.1:" + server.port());

        assertThat(ds.run("create", "anything", "--cacert", cert.certificate().getPath()).code())
                .isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(ds.run("create", "anything", "--insecure").code()).isZero();
        assertThat(ds.run("head", "anything", "-k").code()).isZero();
    }

    @Test
    void cacertAndInsecureExcludeEachOther() {
        Cli.Result r = new Cli(url).run("head", "x", "-k", "--cacert", cert.certificate().getPath());

        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.stderr()).contains("--cacert and --insecure exclude each other");
    }
}
