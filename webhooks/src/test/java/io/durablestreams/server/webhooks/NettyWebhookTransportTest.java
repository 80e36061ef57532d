package io.durablestreams.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.durablestreams.engine.subscriptions.WebhookTransport;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook transport connects to the vetted address it is given, never to what the URL's host
 * would resolve to (the {@code .invalid} names here resolve nowhere), and keeps the host name for
 * {@code Host}, TLS SNI and the certificate check.
 */
class NettyWebhookTransportTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    record Seen(String method, String target, String host, String signature, String body, List<String> sni) {}

    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private HttpServer receiver;
    private WebhookTransport transport;
    private SelfSignedCertificate cert;

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (cert != null) {
            cert.delete();
        }
    }

    private void answer(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        List<String> sni = List.of();
        if (exchange instanceof HttpsExchange tls && tls.getSSLSession() instanceof ExtendedSSLSession session) {
            sni = session.getRequestedServerNames().stream().map(n -> ((SNIHostName) n).getAsciiName()).toList();
        }
        seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(), exchange.getRequestHeaders().getFirst("Host"),
                exchange.getRequestHeaders().getFirst("Webhook-Signature"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), sni));
        headers.forEach(exchange.getResponseHeaders()::add);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private int plainReceiver(int status, Map<String, String> headers, byte[] body) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        receiver.createContext("/", ex -> answer(ex, status, headers, body));
        receiver.start();
        return receiver.getAddress().getPort();
    }

    private int tlsReceiver(String certifiedName) throws Exception {
        cert = new SelfSignedCertificate(certifiedName);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("hook", cert.key(), new char[0], new Certificate[] {cert.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(server));
        https.createContext("/", ex -> answer(ex, 200, Map.of(), "{\"done\":true}".getBytes(StandardCharsets.UTF_8)));
        https.start();
        receiver = https;
        transport = new NettyWebhookTransport(NettyWebhookTransport.clientTls().trustManager(cert.cert()).build());
        return https.getAddress().getPort();
    }

    private static WebhookTransport.Post post(String url, Duration timeout) {
        return new WebhookTransport.Post(URI.create(url), LOOPBACK,
                Map.of("content-type", "application/json", "webhook-signature", "t=1,kid=k,ed25519=s"),
                "{\"wake_id\":\"w\"}".getBytes(StandardCharsets.UTF_8), timeout);
    }

    @Test
    void postsToTheGivenAddressWithTheUrlsHostHeader() throws Exception {
        int port = plainReceiver(200, Map.of(), "{\"done\":true}".getBytes(StandardCharsets.UTF_8));
        transport = new NettyWebhookTransport();

        WebhookTransport.Reply reply = transport.post(post("http://hooks.invalid:" + port + "/hook?a=1", TIMEOUT)).get(10, TimeUnit.SECONDS);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("{\"done\":true}");
        Seen s = seen.take();
        assertThat(s).isEqualTo(new Seen("POST", "/hook?a=1", "hooks.invalid:" + port, "t=1,kid=k,ed25519=s", "{\"wake_id\":\"w\"}", List.of()));
    }

    @Test
    void tlsSendsTheHostNameAsSniAndVerifiesTheCertificateAgainstIt() throws Exception {
        int port = tlsReceiver("hooks.invalid");

        WebhookTransport.Reply reply = transport.post(post("https://hooks.invalid:" + port + "/hook", TIMEOUT)).get(10, TimeUnit.SECONDS);

        assertThat(reply.status()).isEqualTo(200);
        Seen s = seen.take();
        assertThat(s.sni()).containsExactly("hooks.invalid");
        assertThat(s.host()).isEqualTo("hooks.invalid:" + port);
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        int port = tlsReceiver("hooks.invalid");

        assertThatThrownBy(() -> transport.post(post("https://other.invalid:" + port + "/hook", TIMEOUT)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SSLException.class);
        assertThat(seen).isEmpty();
    }

    @Test
    void redirectsAreAnswersNotFollowed() throws Exception {
        int port = plainReceiver(302, Map.of("Location", "http://127.0.0.1:1/elsewhere"), new byte[0]);
        transport = new NettyWebhookTransport();

        WebhookTransport.Reply reply = transport.post(post("http://hooks.invalid:" + port + "/hook", TIMEOUT)).get(10, TimeUnit.SECONDS);

        assertThat(reply.status()).isEqualTo(302);
        assertThat(seen).hasSize(1);
    }

    @Test
    void anOversizedReplyFails() throws Exception {
        int port = plainReceiver(200, Map.of(), new byte[WebhookTransport.MAX_REPLY_BYTES + 1]);
        transport = new NettyWebhookTransport();

        assertThatThrownBy(() -> transport.post(post("http://hooks.invalid:" + port + "/hook", TIMEOUT)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
    }

    @Test
    void noReplyWithinTheTimeoutFails() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, LOOPBACK)) {
            transport = new NettyWebhookTransport();
            var reply = transport.post(post("http://hooks.invalid:" + silent.getLocalPort() + "/hook", Duration.ofMillis(300)));
            try (Socket accepted = silent.accept()) { // connected, and never answered
                assertThatThrownBy(() -> reply.get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
            }
        }
    }
}
