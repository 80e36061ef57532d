package io.durablestreams.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Only the bundled files are served, each with its type, validators and the security headers. */
class ConsoleAssetsTest {
    private final ConsoleAssets console = ConsoleAssets.bundled();

    @Test
    void everyBundledFileIsServedWithItsTypeAndTheSecurityHeaders() {
        for (String file : ConsoleAssets.FILES) {
            ConsoleAssets.Reply r = console.serve("GET", ConsoleAssets.ROOT + file, null);
            assertThat(r.status()).as(file).isEqualTo(200);
            assertThat(r.body()).as(file).isNotEmpty();
            assertThat(r.headers().get("content-type")).as(file).isNotNull();
            assertThat(r.headers().get("content-length")).isEqualTo(Integer.toString(r.body().length));
            assertThat(r.headers().get("content-security-policy")).isEqualTo(ConsoleAssets.CONTENT_SECURITY_POLICY)
                    .doesNotContain("unsafe");
            assertThat(r.headers().get("x-content-type-options")).isEqualTo("nosniff");
        }
        ConsoleAssets.Reply index = console.serve("GET", ConsoleAssets.ROOT, null);
        assertThat(new String(index.body(), StandardCharsets.UTF_8)).contains("<script type=\"module\" src=\"app.js\">");
        assertThat(index.headers().get("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(console.serve("GET", "/console/app.js", null).headers().get("content-type")).startsWith("text/javascript");
    }

    @Test
    void noOtherPathReachesAnything() {
        for (String path : new String[] {"/console/../pom.xml", "/console/%2e%2e/x", "/console/..%2fconsole%2fapp.js",
                "/console//app.js", "/console/APP.JS", "/console/app.js/", "/console/app.js%00", "/console/ConsoleAssets.class",
                "/console/console/app.js", "/console/index.html?x"}) {
            ConsoleAssets.Reply r = console.serve("GET", path, null);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.headers().get("content-type")).isEqualTo("application/problem+json");
        }
    }

    @Test
    void validatorsRedirectAndMethods() {
        ConsoleAssets.Reply first = console.serve("GET", "/console/app.js", null);
        String etag = first.headers().get("etag");
        assertThat(first.headers().get("cache-control")).isEqualTo("no-cache");
        assertThat(console.serve("GET", "/console/app.js", etag).status()).isEqualTo(304);
        assertThat(console.serve("GET", "/console/app.js", "\"other\", W/" + etag).status()).isEqualTo(304);
        assertThat(console.serve("GET", "/console/app.js", "\"other\"").status()).isEqualTo(200);
        assertThat(console.serve("GET", "/console/style.css", etag).status()).as("tags are per file").isEqualTo(200);
        ConsoleAssets.Reply head = console.serve("HEAD", "/console/app.js", null);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().get("content-length")).isEqualTo(Integer.toString(first.body().length));
        ConsoleAssets.Reply redirect = console.serve("GET", "/console", null);
        assertThat(redirect.status()).isEqualTo(308);
        assertThat(redirect.headers().get("location")).isEqualTo("/console/");
        ConsoleAssets.Reply post = console.serve("POST", "/console/", null);
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.headers().get("allow")).isEqualTo("GET, HEAD");
        assertThat(ConsoleAssets.handles("/console")).isTrue();
        assertThat(ConsoleAssets.handles("/consoles")).isFalse();
        assertThat(ConsoleAssets.handles("/v1/stream/console/")).isFalse();
    }
}
