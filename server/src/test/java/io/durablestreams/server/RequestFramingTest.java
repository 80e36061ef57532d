package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RequestFraming} behind the server's codec, on an {@link EmbeddedChannel}. */
class RequestFramingTest {
    private static final String NEXT = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

    private static EmbeddedChannel channel() {
        return Embedded.http1(new RequestFraming(Embedded.STANDARD));
    }

    /** Sends {@code request} and a pipelined one; the answer, after which nothing got through and the channel closed. */
    private static String refused(String request) {
        EmbeddedChannel ch = channel();
        Embedded.send(ch, request + NEXT);
        List<Object> through = Embedded.received(ch);
        Embedded.release(through);
        assertThat(through).as("passed on after " + request).isEmpty();
        assertThat(ch.isOpen()).isFalse();
        String written = Embedded.written(ch);
        assertThat(written).contains("connection: close").contains("content-type: application/problem+json");
        ch.finishAndReleaseAll();
        return written;
    }

    private static String post(String framing, String body) {
        return "POST /v1/stream/s HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n" + body;
    }

    @Test
    void chunkedWithContentLengthIs400() {
        assertThat(refused(post("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", "3\r\nabc\r\n0\r\n\r\n")))
                .startsWith("HTTP/1.1 400 ").contains("\"type\":\"ambiguous-framing\"");
    }

    @Test
    void unknownCodingsBeforeChunkedAre501() {
        assertThat(refused(post("Transfer-Encoding: gzip, chunked\r\n", "3\r\nabc\r\n0\r\n\r\n"))).startsWith("HTTP/1.1 501 ");
        assertThat(refused(post("Transfer-Encoding: identity, chunked\r\n", "3\r\nabc\r\n0\r\n\r\n"))).startsWith("HTTP/1.1 501 ");
        assertThat(refused(post("Transfer-Encoding: deflate\r\nTransfer-Encoding: Chunked\r\n", "3\r\nabc\r\n0\r\n\r\n")))
                .startsWith("HTTP/1.1 501 ");
    }

    @Test
    void codingsNotEndingInASingleChunkedAre400() {
        assertThat(refused(post("Transfer-Encoding: chunked, gzip\r\n", "3\r\nabc\r\n0\r\n\r\n"))).startsWith("HTTP/1.1 400 ");
        assertThat(refused(post("Transfer-Encoding: gzip\r\nContent-Length: 3\r\n", "abc"))).startsWith("HTTP/1.1 400 ");
        assertThat(refused(post("Transfer-Encoding: chunked, chunked\r\n", "3\r\nabc\r\n0\r\n\r\n"))).startsWith("HTTP/1.1 400 ");
        assertThat(refused(post("Transfer-Encoding: \r\n", ""))).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void transferEncodingInHttp10Is400() {
        assertThat(refused("POST /v1/stream/s HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"))
                .startsWith("HTTP/1.1 400 ");
    }

    @Test
    void decoderFailuresAreAnsweredWithTheirOwnStatus() {
        assertThat(refused(post("Content-Length: 3\r\nContent-Length: 4\r\n", "abcd"))).startsWith("HTTP/1.1 400 ");
        assertThat(refused("GET /" + "a".repeat(5_000) + " HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 414 ");
        assertThat(refused("GET / HTTP/1.1\r\nX: " + "a".repeat(9_000) + "\r\n\r\n")).startsWith("HTTP/1.1 431 ");
        assertThat(refused("NOT HTTP AT ALL\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void wellFramedRequestsPassUntouched() {
        EmbeddedChannel ch = channel();
        Embedded.send(ch, post("Transfer-Encoding: chunked\r\n", "3\r\nabc\r\n0\r\n\r\n") + post("Content-Length: 2\r\n", "de") + NEXT);
        List<Object> through = Embedded.received(ch);
        assertThat(through).filteredOn(HttpRequest.class::isInstance).hasSize(3);
        assertThat(through).filteredOn(LastHttpContent.class::isInstance).hasSize(3);
        assertThat(through.stream().filter(HttpContent.class::isInstance)
                .mapToInt(m -> ((HttpContent) m).content().readableBytes()).sum()).isEqualTo(5);
        Embedded.release(through);
        assertThat(Embedded.written(ch)).isEmpty();
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }
}
