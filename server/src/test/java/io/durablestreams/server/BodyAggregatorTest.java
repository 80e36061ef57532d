package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BodyAggregator} with a 10-byte limit behind the server's codec, on an {@link EmbeddedChannel}. */
class BodyAggregatorTest {
    private static EmbeddedChannel channel() {
        return Embedded.http1(new BodyAggregator(10, Embedded.STANDARD));
    }

    private static String aggregated(String request) {
        EmbeddedChannel ch = channel();
        Embedded.send(ch, request);
        List<Object> in = Embedded.received(ch);
        try {
            assertThat(in).hasSize(1).first().isInstanceOf(FullHttpRequest.class);
            assertThat(Embedded.written(ch)).isEmpty();
            assertThat(ch.isOpen()).isTrue();
            return ((FullHttpRequest) in.get(0)).content().toString(StandardCharsets.UTF_8);
        } finally {
            Embedded.release(in);
            ch.finishAndReleaseAll();
        }
    }

    private static String refused(String request) {
        EmbeddedChannel ch = channel();
        Embedded.send(ch, request);
        List<Object> in = Embedded.received(ch);
        Embedded.release(in);
        assertThat(in).isEmpty();
        assertThat(ch.isOpen()).isFalse();
        String written = Embedded.written(ch);
        assertThat(written).contains("connection: close").contains("content-type: application/problem+json")
                .contains("x-content-type-options: nosniff");
        ch.finishAndReleaseAll();
        return written;
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() {
        assertThat(aggregated("POST /v1/stream/s HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789")).isEqualTo("0123456789");
        assertThat(aggregated("POST /v1/stream/s HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n"))
                .isEqualTo("0123456789");
    }

    @Test
    void aBodyOneByteOverTheLimitGets413AndTheConnectionCloses() {
        assertThat(refused("POST /v1/stream/s HTTP/1.1\r\nContent-Length: 11\r\n\r\n0123456789A"))
                .startsWith("HTTP/1.1 413 ").contains("\"type\":\"payload-too-large\"");
        assertThat(refused("POST /v1/stream/s HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n6\r\n56789A\r\n0\r\n\r\n"))
                .startsWith("HTTP/1.1 413 ");
    }

    @Test
    void expectationsAreAnsweredWithProblemBodies() {
        assertThat(refused("POST /v1/stream/s HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n"))
                .startsWith("HTTP/1.1 413 ").contains("\"type\":\"payload-too-large\"");
        assertThat(refused("POST /v1/stream/s HTTP/1.1\r\nExpect: teapot\r\nContent-Length: 1\r\n\r\n"))
                .startsWith("HTTP/1.1 417 ").contains("\"type\":\"expectation-failed\"");
        EmbeddedChannel ch = channel();
        Embedded.send(ch, "POST /v1/stream/s HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n");
        assertThat(Embedded.written(ch)).startsWith("HTTP/1.1 100 Continue");
        Embedded.send(ch, "0123456789");
        List<Object> in = Embedded.received(ch);
        assertThat(in).hasSize(1).first().isInstanceOf(FullHttpRequest.class);
        Embedded.release(in);
        ch.finishAndReleaseAll();
    }
}
