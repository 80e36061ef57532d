package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RateLimitHandler} with one request per second and no burst, on an {@link EmbeddedChannel} and a fake clock. */
class RateLimitHandlerTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final EmbeddedChannel ch = new EmbeddedChannel(
            new RateLimitHandler(new RateLimiter(1, 1, now::get), Embedded.STANDARD));

    @AfterEach
    void finish() {
        ch.finishAndReleaseAll();
    }

    /** Whether {@code uri} got through; if not, it must have been answered 429. */
    private boolean passes(String uri) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        ch.writeInbound(req);
        FullHttpRequest through = ch.readInbound();
        if (through != null) {
            through.release();
            return true;
        }
        FullHttpResponse r = ch.readOutbound();
        try {
            assertThat(r.status().code()).isEqualTo(429);
            assertThat(r.headers().get("retry-after")).isEqualTo("1");
            assertThat(r.headers().get("content-type")).isEqualTo("application/problem+json");
        } finally {
            r.release();
        }
        return false;
    }

    @Test
    void aClientOverItsRateGets429WithRetryAfterUntilItsBucketRefills() {
        assertThat(passes("/v1/stream/s?offset=-1")).isTrue();
        assertThat(passes("/v1/stream/s?offset=-1")).isFalse();
        now.addAndGet(999);
        assertThat(passes("/v1/stream/s?offset=-1")).isFalse();
        now.addAndGet(1);
        assertThat(passes("/v1/stream/s?offset=-1")).isTrue();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void healthAndReadinessProbesAreNeverLimited() {
        assertThat(passes("/v1/stream/s?offset=-1")).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThat(passes("/healthz")).isTrue();
            assertThat(passes("/readyz?verbose=1")).isTrue();
        }
        assertThat(passes("/metrics")).isFalse();
        assertThat(passes("/healthz/../v1/stream/s")).isFalse();
    }
}
