package io.durablestreams.cli;

import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamsClient;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --url}, {@code --auth} and the TLS trust options, shared by every client command, and the stream handles they yield. */
final class ClientOptions {
    static final String DEFAULT_URL = "http://127.0.0.1:4437";
    private static final String STREAM_ROOT = "/v1/stream";

    @Option(names = "--url", paramLabel = "URL", defaultValue = DEFAULT_URL,
            description = "Server base URL; stream names are resolved under <URL>/v1/stream/ "
                    + "(env STREAM_URL; default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--auth", paramLabel = "TOKEN",
            description = "Bearer token sent as 'Authorization: Bearer TOKEN' (env STREAM_AUTH). "
                    + "A value that already starts with 'Bearer ' or 'Basic ' is sent as is.")
    String auth;

    @Mixin
    TrustOptions trust = new TrustOptions();

    /** A client for one command run; it holds no resources that need closing. */
    DurableStreamsClient client() {
        DurableStreamsClient.Builder builder = DurableStreamsClient.newBuilder();
        SSLContext tls = trust.sslContext();
        if (tls != null) {
            // the client's default, with the chosen trust
            builder.httpClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).sslContext(tls).build());
        }
        String authorization = authorization();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    /** The {@code Authorization} header {@code --auth} asks for, or null. */
    String authorization() {
        if (auth == null || auth.isEmpty()) {
            return null;
        }
        return auth.startsWith("Bearer ") || auth.startsWith("Basic ") ? auth : "Bearer " + auth;
    }

    DurableStream stream(DurableStreamsClient client, String nameOrUrl) {
        return client.stream(streamUrl(url, nameOrUrl));
    }

    /**
     * {@code demo} → {@code <base>/v1/stream/demo}, percent-encoding what a path may not hold (slashes
     * stay: names are paths); a full http(s) URL is used unchanged. A base that already ends in
     * {@code /v1/stream} is not extended twice.
     */
    static String streamUrl(String base, String nameOrUrl) {
        if (nameOrUrl.startsWith("http://") || nameOrUrl.startsWith("https://")) {
            return nameOrUrl;
        }
        if (nameOrUrl.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "the stream name must not be empty");
        }
        String root = base.replaceAll("/+$", "");
        if (!root.startsWith("http://") && !root.startsWith("https://")) {
            throw new CliException(ExitCode.USAGE, "--url must start with http:// or https://, was '" + base + "'");
        }
        if (!root.endsWith(STREAM_ROOT)) {
            root += STREAM_ROOT;
        }
        return root + "/" + encodePath(nameOrUrl.replaceFirst("^/+", ""));
    }

    private static String encodePath(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~/!$&'()*+,;=:@".indexOf(c) >= 0)) {
                out.write(c);
            } else {
                out.writeBytes(String.format("%%%02X", c).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
