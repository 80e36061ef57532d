package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.StreamLog;
import io.durablestreams.engine.store.StreamStorage;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.server.auth.AuthConfig;
import io.durablestreams.server.auth.StaticToken;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operational features of the server: TLS/HTTP/2, h2c, auth, rate limits, metrics, gzip, shutdown. */
class OpsTest {
    private DurableStreamsServer server;

    private DurableStreamsServer start(ServerConfig config) throws Exception {
        return start(config, new MemoryStorage());
    }

    private DurableStreamsServer start(ServerConfig config, StreamStorage storage) throws Exception {
        EngineConfig engine = config.engine().withLongPollTimeoutMillis(2_000);
        server = new DurableStreamsServer(config.withPort(0).withEngine(engine),
                new StreamEngine(engine, storage, System::currentTimeMillis, new SplittableRandom(3))).start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> send(HttpClient client, String method, String url, String token, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "text/plain");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tlsNegotiatesHttp2WithTheJdkClient() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        start(ServerConfig.defaults().withTls(new ServerConfig.Tls(cert.certificate().toPath(), cert.privateKey().toPath())));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trusting(cert)).build();
        String url = "https://localhost:" + server.port() + "/v1/stream/tls";
        HttpResponse<String> created = send(client, "PUT", url, null, "secure");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(created.headers().firstValue("location")).hasValue(url);
        HttpResponse<String> read = send(client, "GET", url + "?offset=-1", null, null);
        assertThat(read.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(read.body()).isEqualTo("secure");
        assertThat(read.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        cert.delete();
    }

    @Test
    void aPkcs1RsaKeyServesTlsToo(@TempDir Path dir) throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        byte[] pkcs1 = PrivateKeyInfo.getInstance(cert.key().getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
        Path key = dir.resolve("rsa-key.pem");
        Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1)
                + "\n-----END RSA PRIVATE KEY-----\n");
        start(ServerConfig.defaults().withTls(new ServerConfig.Tls(cert.certificate().toPath(), key)));
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(cert)).build();
        String url = "https://localhost:" + server.port() + "/v1/stream/pkcs1";
        assertThat(send(client, "PUT", url, null, "secure").statusCode()).isEqualTo(201);
        assertThat(send(client, "GET", url + "?offset=-1", null, null).body()).isEqualTo("secure");
        cert.delete();
    }

    @Test
    void aKeyTheJdkCannotReadIsRefusedWithTheCommandThatConvertsIt(@TempDir Path dir) throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        Path key = dir.resolve("ec-key.pem");
        Files.writeString(key, "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----\n");
        ServerConfig config = ServerConfig.defaults().withTls(new ServerConfig.Tls(cert.certificate().toPath(), key));
        assertThatThrownBy(() -> start(config))
                .isInstanceOf(SSLException.class)
                .hasMessage("--tls-key " + key + ": the key is a \"EC PRIVATE KEY\" block, not PKCS#8 (\"PRIVATE KEY\") "
                        + "or PKCS#1 RSA (\"RSA PRIVATE KEY\"); "
                        + "convert it to unencrypted PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in " + key + " -out key-pkcs8.pem");
        cert.delete();
    }

    @Test
    void cleartextClientsMayUpgradeToH2c() throws Exception {
        start(ServerConfig.defaults().withH2c(true));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        String url = server.url() + "/v1/stream/h2c";
        assertThat(send(client, "PUT", url, null, "a").statusCode()).isEqualTo(201);
        HttpResponse<String> read = send(client, "GET", url + "?offset=-1", null, null);
        assertThat(read.body()).isEqualTo("a");
        assertThat(read.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }

    @Test
    void authorizationMatrix() throws Exception {
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        AuthConfig auth = new AuthConfig(List.of(StaticToken.parse("admin:read=*:write=*"), StaticToken.parse("reader:read=public/")),
                secret, (RSAPublicKey) rsa.getPublic());
        start(ServerConfig.defaults().withAuth(auth));
        HttpClient client = HttpClient.newHttpClient();
        String root = server.url() + "/v1/stream/";
        String hsWriter = jwt(new MACSigner(secret), JWSAlgorithm.HS256, List.of("team/"), List.of("team/"), 60_000);
        String rsReader = jwt(new RSASSASigner(rsa.getPrivate()), JWSAlgorithm.RS256, List.of("team/"), List.of(), 60_000);
        String expired = jwt(new MACSigner(secret), JWSAlgorithm.HS256, List.of("*"), List.of("*"), -120_000);
        String forged = jwt(new MACSigner("another-secret-another-secret-xx".getBytes(StandardCharsets.US_ASCII)),
                JWSAlgorithm.HS256, List.of("*"), List.of("*"), 60_000);

        assertThat(send(client, "PUT", root + "public/a", "admin", "x").statusCode()).isEqualTo(201);
        assertThat(send(client, "GET", root + "public/a?offset=-1", "reader", null).statusCode()).isEqualTo(200);
        HttpResponse<String> denied = send(client, "POST", root + "public/a", "reader", "y");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.headers().firstValue("www-authenticate").orElseThrow()).contains("insufficient_scope");
        assertThat(denied.body()).contains("does not grant write access to stream 'public/a'");
        HttpResponse<String> anonymous = send(client, "GET", root + "public/a?offset=-1", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("www-authenticate").orElseThrow()).startsWith("Bearer realm=");
        assertThat(send(client, "GET", root + "public/a?offset=-1", "wrong", null).statusCode()).isEqualTo(401);

        assertThat(send(client, "PUT", root + "team/t", hsWriter, "z").statusCode()).isEqualTo(201);
        assertThat(send(client, "PUT", root + "other/t", hsWriter, "z").statusCode()).isEqualTo(403);
        assertThat(send(client, "GET", root + "team/t?offset=-1", rsReader, null).body()).isEqualTo("z");
        assertThat(send(client, "POST", root + "team/t", rsReader, "w").statusCode()).isEqualTo(403);
        assertThat(send(client, "GET", root + "team/t?offset=-1", expired, null).statusCode()).isEqualTo(401);
        assertThat(send(client, "GET", root + "team/t?offset=-1", forged, null).statusCode()).isEqualTo(401);

        HttpRequest fork = HttpRequest.newBuilder(URI.create(root + "team/fork")).header("Authorization", "Bearer " + hsWriter)
                .header("Stream-Forked-From", "/v1/stream/public/a").PUT(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> forkDenied = client.send(fork, HttpResponse.BodyHandlers.ofString());
        assertThat(forkDenied.statusCode()).isEqualTo(403);
        assertThat(forkDenied.body()).as("the missing right is read, on the source")
                .contains("does not grant read access to stream 'public/a', the source of the fork");
        assertThat(client.send(HttpRequest.newBuilder(URI.create(server.url() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void withAuthenticationMetricsNeedACredentialButHealthChecksDoNot() throws Exception {
        start(ServerConfig.defaults().withAuth(new AuthConfig(List.of(StaticToken.parse("reader:read=public/")), null, null)));
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> anonymous = send(client, "GET", server.url() + "/metrics", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("www-authenticate").orElseThrow()).startsWith("Bearer realm=");
        assertThat(anonymous.body()).doesNotContain("ds_");
        assertThat(send(client, "GET", server.url() + "/metrics", "wrong", null).statusCode()).isEqualTo(401);
        assertThat(send(client, "GET", server.url() + "/metrics", "reader", null).body()).contains("ds_streams");
        assertThat(send(client, "GET", server.url() + "/healthz", null, null).statusCode()).isEqualTo(200);
        assertThat(send(client, "GET", server.url() + "/readyz", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aMetricsTokenProtectsMetricsAlone() throws Exception {
        start(ServerConfig.defaults().withAuth(new AuthConfig(List.of(), null, null, "scrape")));
        HttpClient client = HttpClient.newHttpClient();
        assertThat(send(client, "PUT", server.url() + "/v1/stream/open", null, "x").statusCode()).isEqualTo(201);
        assertThat(send(client, "GET", server.url() + "/metrics", null, null).statusCode()).isEqualTo(401);
        assertThat(send(client, "GET", server.url() + "/metrics", "scrape", null).body()).contains("ds_streams");
        assertThat(send(client, "GET", server.url() + "/healthz", null, null).statusCode()).isEqualTo(200);
    }

    private static String jwt(com.nimbusds.jose.JWSSigner signer, JWSAlgorithm alg, List<String> read, List<String> write,
                              long expiresInMillis) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), new JWTClaimsSet.Builder().subject("test")
                .expirationTime(new Date(System.currentTimeMillis() + expiresInMillis))
                .claim(AuthConfig.READ_CLAIM, read).claim(AuthConfig.WRITE_CLAIM, write).build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    @Test
    void burstsBeyondTheRateLimitGet429WithRetryAfter() throws Exception {
        start(ServerConfig.defaults().withRateLimit(new ServerConfig.RateLimit(1, 5)));
        HttpClient client = HttpClient.newHttpClient();
        int limited = 0;
        String retryAfter = null;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = send(client, "GET", server.url() + "/v1/stream/none?offset=-1", null, null);
            if (r.statusCode() == 429) {
                limited++;
                retryAfter = r.headers().firstValue("retry-after").orElse(null);
            }
        }
        assertThat(limited).isGreaterThanOrEqualTo(4);
        assertThat(retryAfter).isNotNull();
        assertThat(Integer.parseInt(retryAfter)).isPositive();
    }

    @Test
    void healthAndReadinessProbesAreNotRateLimited() throws Exception {
        start(ServerConfig.defaults().withRateLimit(new ServerConfig.RateLimit(1, 1)));
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 10; i++) {
            assertThat(send(client, "GET", server.url() + "/healthz", null, null).statusCode()).isEqualTo(200);
            assertThat(send(client, "GET", server.url() + "/readyz", null, null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void readinessFollowsTheStoresAvailability() throws Exception {
        AtomicBoolean available = new AtomicBoolean(true);
        start(ServerConfig.defaults(), new Unreliable(new MemoryStorage(), available));
        HttpClient client = HttpClient.newHttpClient();
        assertThat(send(client, "GET", server.url() + "/readyz", null, null).statusCode()).isEqualTo(200);

        available.set(false);
        HttpResponse<String> notReady = send(client, "GET", server.url() + "/readyz", null, null);
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.headers().firstValue("retry-after")).hasValue("1");
        assertThat(notReady.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(notReady.body()).isEqualTo("store unavailable\n");
        assertThat(send(client, "GET", server.url() + "/healthz", null, null).statusCode())
                .as("the process itself is alive").isEqualTo(200);

        available.set(true);
        assertThat(send(client, "GET", server.url() + "/readyz", null, null).statusCode()).isEqualTo(200);
    }

    /** A working store that reports itself unavailable while {@code up} is false, as a store whose database is down. */
    private record Unreliable(MemoryStorage delegate, AtomicBoolean up) implements StreamStorage {
        @Override
        public List<RecoveredStream> recover() {
            return delegate.recover();
        }

        @Override
        public CompletableFuture<Long> nextIncarnation() {
            return delegate.nextIncarnation();
        }

        @Override
        public CompletableFuture<StreamLog> createLog(StreamDescriptor descriptor) {
            return delegate.createLog(descriptor);
        }

        @Override
        public boolean available() {
            return up.get();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    @Test
    void metricsCountRequestsBytesAndLatency() throws Exception {
        start(ServerConfig.defaults());
        HttpClient client = HttpClient.newHttpClient();
        String url = server.url() + "/v1/stream/m";
        send(client, "PUT", url, null, null);
        send(client, "POST", url, null, "12345");
        send(client, "GET", url + "?offset=-1", null, null);
        HttpResponse<String> scrape = send(client, "GET", server.url() + "/metrics", null, null);
        assertThat(scrape.statusCode()).isEqualTo(200);
        String text = scrape.body();
        assertThat(metric(text, "ds_append_bytes_total")).isEqualTo(5.0);
        assertThat(metric(text, "ds_appends_total")).isEqualTo(1.0);
        assertThat(metric(text, "ds_read_bytes_total")).isEqualTo(5.0);
        assertThat(metric(text, "ds_streams")).isEqualTo(1.0);
        assertThat(text).contains("ds_requests_seconds_bucket{op=\"append\",status=\"204\"");
        assertThat(text).contains("ds_live_connections{mode=\"sse\"}");
    }

    private static double metric(String exposition, String name) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric " + name + " in\n" + exposition);
    }

    @Test
    void largeCatchUpBodiesAreGzippedWhenAccepted() throws Exception {
        start(ServerConfig.defaults().withCompressionThresholdBytes(1024));
        HttpClient client = HttpClient.newHttpClient();
        String url = server.url() + "/v1/stream/z";
        String body = "compressible ".repeat(1000);
        send(client, "PUT", url, null, body);
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(url + "?offset=-1"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(r.body().length).isLessThan(body.length() / 10);
        assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo(body);
        HttpResponse<String> plain = send(client, "GET", url + "?offset=-1", null, null);
        assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
        assertThat(plain.body()).isEqualTo(body);
    }

    @Test
    void gracefulShutdownAnswersWaitingLongPollsAndRefusesNewWork() throws Exception {
        start(ServerConfig.defaults());
        HttpClient client = HttpClient.newHttpClient();
        String url = server.url() + "/v1/stream/g";
        send(client, "PUT", url, null, null);
        var poll = client.sendAsync(HttpRequest.newBuilder(URI.create(url + "?offset=now&live=long-poll")).build(),
                HttpResponse.BodyHandlers.ofString());
        // the long-poll must be parked before shutdown starts for this test to mean anything
        while (server.engine().parkedReaders() == 0) {
            Thread.onSpinWait();
        }
        server.close();
        HttpResponse<String> r = poll.get();
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("stream-up-to-date")).hasValue("true");
    }

    private static SSLContext trusting(SelfSignedCertificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.FileInputStream(cert.certificate()));
        ks.setCertificateEntry("server", x509);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
