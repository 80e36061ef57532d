package io.durablestreams.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import picocli.CommandLine.Option;

/**
 * {@code --cacert} and {@code --insecure} of the client commands, named as in curl: which HTTPS
 * servers they trust, for servers with a self-signed or private-CA certificate.
 */
final class TrustOptions {
    @Option(names = "--cacert", paramLabel = "FILE",
            description = "Trust servers whose certificate is (or is signed by) one in this PEM file, instead of "
                    + "the system's certificate authorities: a self-signed server's own certificate, or a private CA.")
    Path cacert;

    @Option(names = {"-k", "--insecure"},
            description = "Accept any server certificate for any host name. For tests only: anyone on the network path "
                    + "can then read and change the traffic.")
    boolean insecure;

    /** The TLS context to use, or null for the JDK's default trust. */
    SSLContext sslContext() {
        if (cacert == null && !insecure) {
            return null;
        }
        if (cacert != null && insecure) {
            throw new CliException(ExitCode.USAGE, "--cacert and --insecure exclude each other");
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {insecure ? new TrustEverything() : trusting(cacert)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new CliException(ExitCode.USAGE, "cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static TrustManager trusting(Path file) throws GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read --cacert " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CliException(ExitCode.USAGE, "--cacert " + file + " is not a PEM certificate file: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "--cacert " + file + " holds no certificate");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e); // an empty in-memory store reads nothing
        }
        int i = 0;
        for (Certificate c : certificates) {
            store.setCertificateEntry("cacert-" + i++, c);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers()[0];
    }

    /** Trusts every chain; as an X509ExtendedTrustManager it also replaces the host name check. */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
