package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.memory.MemoryStorage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 message framing against the real server with raw sockets: ambiguous or unsupported
 * framing is answered and the connection closed, so a request smuggled behind it is never
 * answered (RFC 9112 §6); pipelined requests are answered in order.
 */
class HttpFramingTest {
    /** Sent right behind a badly framed request; answering it would mean the server guessed the framing. */
    private static final String SMUGGLED = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    private DurableStreamsServer server;

    @BeforeEach
    void start() throws Exception {
        EngineConfig engine = EngineConfig.defaults().withLongPollTimeoutMillis(300);
        server = new DurableStreamsServer(ServerConfig.defaults().withPort(0).withEngine(engine),
                new StreamEngine(engine, new MemoryStorage(), System::currentTimeMillis, new SplittableRandom(5))).start();
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("PUT /v1/stream/s HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nbase");
            assertThat(c.read().status()).isEqualTo(201);
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Sends {@code request} followed by {@link #SMUGGLED}; expects one answer with {@code status}, then the close. */
    private RawConnection.Response answeredOnceThenClosed(String request, int status) throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Response r = c.send(request + SMUGGLED).read();
            assertThat(r.status()).as(request).isEqualTo(status);
            assertThat(r.headers()).containsEntry("connection", "close").containsEntry("content-type", "application/problem+json");
            assertThat(c.closedByServer()).as("closed after " + request).isTrue();
            assertThat(streamContent()).isEqualTo("base");
            return r;
        }
    }

    private String streamContent() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            return c.send("GET /v1/stream/s?offset=-1 HTTP/1.1\r\nHost: x\r\n\r\n").read().body();
        }
    }

    private static String post(String framingHeaders, String body) {
        return "POST /v1/stream/s HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n" + framingHeaders + "\r\n" + body;
    }

    @Test
    void transferEncodingWithContentLengthIsRefusedAndTheConnectionClosed() throws Exception {
        answeredOnceThenClosed(post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "5\r\nhello\r\n0\r\n\r\n"), 400);
        answeredOnceThenClosed(post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"), 400);
    }

    @Test
    void transferCodingsOtherThanChunkedGet501() throws Exception {
        RawConnection.Response r = answeredOnceThenClosed(
                post("Transfer-Encoding: gzip, chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"), 501);
        assertThat(r.body()).contains("\"type\":\"unsupported-transfer-coding\"");
        answeredOnceThenClosed(post("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"), 501);
    }

    @Test
    void transferEncodingNotEndingInChunkedIsRefused() throws Exception {
        answeredOnceThenClosed(post("Transfer-Encoding: chunked, gzip\r\n", "5\r\nhello\r\n0\r\n\r\n"), 400);
        answeredOnceThenClosed(post("Transfer-Encoding: gzip\r\n", "hello"), 400);
        answeredOnceThenClosed(post("Transfer-Encoding: chunked, chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"), 400);
        answeredOnceThenClosed(post("Transfer-Encoding: xchunked\r\n", "hello"), 400);
    }

    @Test
    void transferEncodingInHttp10IsRefused() throws Exception {
        answeredOnceThenClosed("POST /v1/stream/s HTTP/1.0\r\nHost: x\r\nContent-Type: text/plain\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400);
    }

    @Test
    void conflictingOrMalformedContentLengthsAreRefused() throws Exception {
        answeredOnceThenClosed(post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"), 400);
        answeredOnceThenClosed(post("Content-Length: 5, 6\r\n", "hello!"), 400);
        answeredOnceThenClosed(post("Content-Length: +5\r\n", "hello"), 400);
    }

    @Test
    void oversizedHeadsGet431And414() throws Exception {
        answeredOnceThenClosed("GET /v1/stream/s?offset=-1 HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n", 431);
        answeredOnceThenClosed("GET /v1/stream/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
    }

    @Test
    void wellFramedChunkedAndFixedLengthRequestsKeepTheConnection() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.send(post("Transfer-Encoding: chunked\r\n", "2\r\n-a\r\n0\r\n\r\n")).read().status()).isEqualTo(204);
            assertThat(c.send(post("Content-Length: 2\r\n", "-b")).read().status()).isEqualTo(204);
            assertThat(c.send(SMUGGLED).read().status()).isEqualTo(200);
        }
        assertThat(streamContent()).isEqualTo("base-a-b");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderEvenBehindALongPoll() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("GET /v1/stream/s?offset=now&live=long-poll HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /v1/stream/s?offset=-1 HTTP/1.1\r\nHost: x\r\n\r\n" + SMUGGLED);
            RawConnection.Response poll = c.read();
            assertThat(poll.status()).isEqualTo(204); // the long-poll times out first...
            RawConnection.Response read = c.read();
            assertThat(read.status()).isEqualTo(200); // ...and only then are the requests behind it answered
            assertThat(read.body()).isEqualTo("base");
            assertThat(c.read().body()).isEqualTo("ok\n");
        }
    }
}
