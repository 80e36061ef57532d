package io.durablestreams.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.http.Response;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two stateless nodes on one real PostgreSQL database: whatever one node did, the other answers
 * from the database, at once — creation, appends, closure, deletion, producers, forks, and live
 * readers woken by another node's append.
 */
class CrossNodeTest {
    private Node a;
    private Node b;
    private String url;

    @BeforeEach
    void start() throws InterruptedException {
        url = TestPostgres.freshDatabase();
        a = new Node(url).awaitListening();
        b = new Node(url).awaitListening();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private static Response put(Node n, String name) {
        return n.call("PUT", name).header("content-type", "text/plain").send();
    }

    private static Response post(Node n, String name, String body) {
        return n.call("POST", name).header("content-type", "text/plain").body(body).send();
    }

    @Test
    void createOnOneAppendOnTheOtherReadOnEither() {
        assertThat(put(a, "s").status()).isEqualTo(201);
        assertThat(put(b, "s").status()).isEqualTo(200);
        assertThat(post(b, "s", "hello ").status()).isEqualTo(204);
        assertThat(post(a, "s", "world").status()).isEqualTo(204);
        Response read = a.call("GET", "s").param("offset", "-1").send();
        assertThat(Node.text(read)).isEqualTo("hello world");
        Response readB = b.call("GET", "s").param("offset", "-1").send();
        assertThat(Node.text(readB)).isEqualTo("hello world");
        assertThat(readB.headers().get("stream-next-offset")).isEqualTo(read.headers().get("stream-next-offset"));
    }

    @Test
    void closeAndDeleteAreSeenByTheOtherNodeAtOnce() {
        put(a, "s");
        a.call("GET", "s").param("offset", "-1").send(); // node A caches the stream
        assertThat(b.call("POST", "s").header("stream-closed", "true").send().status()).isEqualTo(204);
        assertThat(a.call("HEAD", "s").send().headers()).containsEntry("stream-closed", "true");
        assertThat(post(a, "s", "late").status()).isEqualTo(409);
        assertThat(b.call("DELETE", "s").send().status()).isEqualTo(204);
        assertThat(a.call("HEAD", "s").send().status()).isEqualTo(404);
        assertThat(a.call("DELETE", "s").send().status()).isEqualTo(404);
    }

    @Test
    void producersOnTwoNodesInterleaveAndRetriesAreDeduplicatedAnywhere() {
        put(a, "s");
        for (int seq = 0; seq < 5; seq++) {
            Node first = seq % 2 == 0 ? a : b;
            Node other = seq % 2 == 0 ? b : a;
            assertThat(produce(first, "p1", seq, "a" + seq).status()).isEqualTo(200);
            assertThat(produce(other, "p2", seq, "b" + seq).status()).isEqualTo(200);
            // the same batch retried on the other node is a duplicate, not a second append
            assertThat(produce(other, "p1", seq, "a" + seq).status()).isEqualTo(204);
        }
        String all = Node.text(b.call("GET", "s").param("offset", "-1").send());
        assertThat(all).isEqualTo("a0b0a1b1a2b2a3b3a4b4");
        assertThat(produce(a, "p1", 7, "gap").status()).isEqualTo(409);
        assertThat(b.call("POST", "s").header("content-type", "text/plain").header("producer-id", "p1")
                .header("producer-epoch", "1").header("producer-seq", "0").body("x").send().status()).isEqualTo(200);
        assertThat(produce(a, "p1", 5, "stale").status()).isEqualTo(403);
    }

    private static Response produce(Node n, String producer, long seq, String body) {
        return n.call("POST", "s").header("content-type", "text/plain").header("producer-id", producer)
                .header("producer-epoch", "0").header("producer-seq", Long.toString(seq)).body(body).send();
    }

    @Test
    void aLongPollOnOneNodeIsWokenByAnAppendOnTheOther() {
        put(a, "s");
        Response head = b.call("HEAD", "s").send();
        String tail = head.headers().get("stream-next-offset");
        CompletableFuture<Response> waiting = b.call("GET", "s").param("offset", tail).param("live", "long-poll").future();
        assertThat(waiting).isNotDone();
        post(a, "s", "news");
        Response woken = waiting.join();
        assertThat(woken.status()).isEqualTo(200);
        assertThat(Node.text(woken)).isEqualTo("news");
    }

    @Test
    void longPollsOnOneNodeGetSmallLargeAndClosingWritesOfTheOther() {
        // small appends travel in the notification; a large one only as the new tail (node B fetches
        // the chunk); a close as the closed state
        put(a, "s");
        String tail = b.call("HEAD", "s").send().headers().get("stream-next-offset");
        String large = "x".repeat(20_000);
        for (String body : new String[] {"small", large, "after"}) {
            CompletableFuture<Response> waiting = b.call("GET", "s").param("offset", tail).param("live", "long-poll").future();
            assertThat(waiting).isNotDone();
            post(a, "s", body);
            Response woken = waiting.join();
            assertThat(woken.status()).isEqualTo(200);
            assertThat(Node.text(woken)).isEqualTo(body);
            tail = woken.headers().get("stream-next-offset");
        }
        CompletableFuture<Response> waiting = b.call("GET", "s").param("offset", tail).param("live", "long-poll").future();
        assertThat(a.call("POST", "s").header("stream-closed", "true").send().status()).isEqualTo(204);
        Response closed = waiting.join();
        assertThat(closed.headers()).containsEntry("stream-closed", "true");
        assertThat(Node.text(b.call("GET", "s").param("offset", "-1").send())).isEqualTo("small" + large + "after");
    }

    @Test
    void aProducersPipelinedAppendsCommitTogetherInOrder() {
        // appends queued while a commit runs share the next one: one producer may write a stream
        // several times in one transaction
        put(a, "s");
        java.util.List<CompletableFuture<Response>> sent = new java.util.ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (int seq = 0; seq < 50; seq++) {
            sent.add(a.call("POST", "s").header("content-type", "text/plain").header("producer-id", "p")
                    .header("producer-epoch", "0").header("producer-seq", Integer.toString(seq)).body(seq + ",").future());
            expected.append(seq).append(',');
        }
        assertThat(sent).allSatisfy(f -> assertThat(f.join().status()).isEqualTo(200));
        assertThat(Node.text(b.call("GET", "s").param("offset", "-1").send())).isEqualTo(expected.toString());
        assertThat(produce(b, "p", 49, "49,").status()).isEqualTo(204);
    }

    @Test
    void conditionalAppendsOnTwoNodesLoseNoUpdate() throws Exception {
        // writers on both nodes read the counter and append its successor at the tail they read
        put(a, "counter");
        String empty = a.call("HEAD", "counter").send().headers().get("stream-next-offset");
        assertThat(b.call("POST", "counter").header("content-type", "text/plain").header("if-match", "\"" + empty + "\"")
                .body("1\n").send().status()).isEqualTo(204);
        Response stale = a.call("POST", "counter").header("content-type", "text/plain").header("if-match", "\"" + empty + "\"")
                .body("1\n").send();
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.headers().get("stream-next-offset")).isNotEqualTo(empty);
        int writers = 4;
        int increments = 10;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            java.util.List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
            for (int w = 0; w < writers; w++) {
                Node node = w % 2 == 0 ? a : b;
                running.add(pool.submit(() -> {
                    for (int done = 0; done < increments; ) {
                        Response read = node.call("GET", "counter").param("offset", "-1").send();
                        String body = Node.text(read);
                        int last = Integer.parseInt(body.substring(body.lastIndexOf('\n', body.length() - 2) + 1).trim());
                        Response r = node.call("POST", "counter").header("content-type", "text/plain")
                                .header("if-match", "\"" + read.headers().get("stream-next-offset") + "\"").body((last + 1) + "\n").send();
                        assertThat(r.status()).isIn(204, 412);
                        if (r.status() == 204) {
                            done++;
                        }
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        String[] lines = Node.text(b.call("GET", "counter").param("offset", "-1").send()).split("\n");
        assertThat(lines).hasSize(1 + writers * increments);
        for (int i = 0; i < lines.length; i++) {
            assertThat(lines[i]).isEqualTo(Integer.toString(i + 1));
        }
    }

    @Test
    void aForkOnOneNodeReadsItsSourceAndKeepsItWhenTheSourceIsDeletedOnTheOther() {
        put(a, "src");
        post(a, "src", "abc");
        assertThat(b.call("PUT", "fork").header("stream-forked-from", "/v1/stream/src").send().status()).isEqualTo(201);
        post(b, "fork", "def");
        assertThat(a.call("DELETE", "src").send().status()).isEqualTo(204);
        assertThat(b.call("HEAD", "src").send().status()).isEqualTo(410);
        assertThat(Node.text(a.call("GET", "fork").param("offset", "-1").send())).isEqualTo("abcdef");
        assertThat(b.call("DELETE", "fork").send().status()).isEqualTo(204);
        assertThat(a.call("HEAD", "src").send().status()).isEqualTo(404);
        assertThat(put(b, "src").status()).isEqualTo(201);
    }

    @Test
    void concurrentCreatesOfOneNameOnTwoNodesCreateItOnce() {
        CompletableFuture<Response> one = a.call("PUT", "race").header("content-type", "text/plain").future();
        CompletableFuture<Response> two = b.call("PUT", "race").header("content-type", "text/plain").future();
        int s1 = one.join().status();
        int s2 = two.join().status();
        assertThat(new int[] {s1, s2}).containsExactlyInAnyOrder(201, 200);
    }

    @Test
    void aCatchUpReadOnAColdNodeLoadsChunksItHasNeverSeenInBoundedPieces() {
        put(a, "big");
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            String piece = "chunk-" + i + "-" + "x".repeat(1000) + ";";
            post(a, "big", piece);
            expected.append(piece);
        }
        StringBuilder got = new StringBuilder();
        String offset = "-1";
        for (int reads = 0; reads < 1000; reads++) {
            Response r = b.call("GET", "big").param("offset", offset).send();
            assertThat(r.status()).isEqualTo(200);
            got.append(Node.text(r));
            offset = r.headers().get("stream-next-offset");
            if ("true".equals(r.headers().get("stream-up-to-date"))) {
                break;
            }
        }
        assertThat(got.toString()).isEqualTo(expected.toString());
    }

    @Test
    void jsonMessagesWrittenOnOneNodeAreFramedOnTheOther() {
        a.call("PUT", "j").header("content-type", "application/json").send();
        b.call("POST", "j").header("content-type", "application/json").body("[{\"a\":1},{\"b\":2}]").send();
        a.call("POST", "j").header("content-type", "application/json").body("{\"c\":3}").send();
        Response r = a.call("GET", "j").param("offset", "-1").send();
        assertThat(Node.text(r)).isEqualTo("[{\"a\":1},{\"b\":2},{\"c\":3}]");
        Response fork = b.call("PUT", "jf").header("stream-forked-from", "/v1/stream/j")
                .header("stream-fork-offset", "0000000000000000_0000000000000000").header("stream-fork-sub-offset", "1").send();
        assertThat(fork.status()).isEqualTo(201);
        assertThat(Node.text(a.call("GET", "jf").param("offset", "-1").send())).isEqualTo("[{\"a\":1}]");
    }

    @Test
    void aReaderWaitingWhileItsNodeLostTheNotificationConnectionIsWokenAfterTheReconnect() throws Exception {
        put(a, "s");
        String tail = b.call("HEAD", "s").send().headers().get("stream-next-offset");
        CompletableFuture<Response> waiting = b.call("GET", "s").param("offset", tail).param("live", "long-poll").future();
        // cut every node's LISTEN connection, then append while they are down: that notification is lost
        try (var c = java.sql.DriverManager.getConnection(PostgresUrl.parse(url).jdbcUrl(), PostgresUrl.parse(url).user(),
                PostgresUrl.parse(url).password()); var st = c.createStatement()) {
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'durable-streams-listen'");
        }
        post(a, "s", "while you were away");
        Response woken = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(woken.status()).isEqualTo(200);
        assertThat(Node.text(woken)).isEqualTo("while you were away");
    }
}
