package io.durablestreams.crashtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code ds serve --store postgres} processes (A and B) on one real PostgreSQL database,
 * driven over HTTP: what one node does, live readers on the other see, also across a crash of the
 * database; producers on both interleave exactly once; a producer whose node is SIGKILLed with its
 * batch in flight fails over to the other node and the batch lands exactly once, whether or not the
 * dead node's commit went through.
 *
 * <p>The nodes' long-poll timeout (30 s) and SSE keep-alive are far above {@link #WAIT}, so a live
 * reader that answers within it was woken by the other node's change, not by a timer.
 */
@Timeout(120)
class ClusterHttpTest {
    /** How long a reader may take to see another node's change. */
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration LONG_POLL_TIMEOUT = Duration.ofSeconds(30);
    /** For the operations endpoints (/metrics, /readyz). */
    private static final HttpClient METRICS = HttpClient.newHttpClient();
    private static final int A = 0;
    private static final int B = 1;

    @TempDir
    static Path logs;
    private static String database;
    private static Cluster cluster;

    @BeforeAll
    static void startNodes() throws Exception {
        database = TestPostgres.freshDatabase();
        // the nodes run from this class path (ds-cli is a test dependency): java itself is the node process
        List<String> ds = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.durablestreams.cli.Ds");
        cluster = Cluster.start(ds, database, List.of("--long-poll-timeout", LONG_POLL_TIMEOUT.toSeconds() + "s"), logs);
    }

    @AfterAll
    static void stopNodes() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
        if (database != null) {
            TestPostgres.drop(database);
        }
    }

    private static Http node(int i) {
        return cluster.node(i);
    }

    @Test
    void anAppendOnAReachesLongPollAndSseReadersOnB() throws Exception {
        String name = "wake/append";
        assertThat(node(A).create(name).statusCode()).isEqualTo(201);
        String tail = nextOffset(append(A, name, "hello "));
        try (SseReader sse = SseReader.open(node(B), name, "-1")) {
            CompletableFuture<HttpResponse<byte[]>> poll = longPollWhenWaiting(B, name, tail);
            await(() -> sse.sawControl("\"upToDate\":true"), sse::toString);

            HttpResponse<byte[]> appended = append(A, name, "world");

            HttpResponse<byte[]> polled = poll.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(polled.statusCode()).isEqualTo(200);
            assertThat(text(polled)).isEqualTo("world");
            assertThat(nextOffset(polled)).isEqualTo(nextOffset(appended));
            await(() -> sse.data().equals("hello world"), sse::toString);
            assertThat(sse.ended()).isFalse();
        }
    }

    @Test
    void aCloseOnBEndsLongPollAndSseReadersOnA() throws Exception {
        String name = "wake/close";
        assertThat(node(A).create(name).statusCode()).isEqualTo(201);
        String tail = nextOffset(append(B, name, "last words"));
        try (SseReader sse = SseReader.open(node(A), name, "-1")) {
            CompletableFuture<HttpResponse<byte[]>> poll = longPollWhenWaiting(A, name, tail);
            await(() -> sse.sawControl("\"upToDate\":true"), sse::toString);

            HttpResponse<byte[]> closed = node(B).post(name, new byte[0], true, null, null);
            assertThat(closed.statusCode()).isEqualTo(204);

            HttpResponse<byte[]> polled = poll.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(polled.statusCode()).isEqualTo(204);
            assertThat(polled.headers().firstValue("stream-closed")).hasValue("true");
            assertThat(nextOffset(polled)).isEqualTo(tail);
            await(sse::ended, sse::toString);
            assertThat(sse.failure()).isNull();
            assertThat(sse.data()).isEqualTo("last words");
            List<SseReader.Event> events = sse.events();
            assertThat(events.get(events.size() - 1).data()).contains("\"streamClosed\":true");
        }
    }

    @Test
    void aDeleteOnAEndsLongPollAndSseReadersOnB() throws Exception {
        String name = "wake/delete";
        assertThat(node(B).create(name).statusCode()).isEqualTo(201);
        String tail = nextOffset(append(B, name, "soon gone"));
        try (SseReader sse = SseReader.open(node(B), name, "-1")) {
            CompletableFuture<HttpResponse<byte[]>> poll = longPollWhenWaiting(B, name, tail);
            await(() -> sse.sawControl("\"upToDate\":true"), sse::toString);

            assertThat(node(A).delete(name).statusCode()).isEqualTo(204);

            assertThat(poll.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).statusCode()).isEqualTo(404);
            await(sse::ended, sse::toString);
            assertThat(sse.data()).isEqualTo("soon gone");
            assertThat(sse.sawControl("streamClosed")).as("a deleted stream is not closed").isFalse();
        }
        assertThat(node(B).readAll(name).status()).isEqualTo(404);
    }

    /**
     * Readers wait on B while PostgreSQL crashes ({@code pg_ctl stop -m immediate}) and starts again;
     * B loses its notification connection meanwhile. An append on A after that reaches them: B
     * reconnects and re-checks the streams its readers wait on, so no notification lost in between
     * strands them (they would otherwise wait for the 30 s timeout).
     */
    @Test
    void readersOnBWaitingThroughADatabaseCrashSeeTheNextAppendOnA() throws Exception {
        PostgresControl postgres = TestPostgres.control();
        String name = "wake/database-crash";
        assertThat(node(A).create(name).statusCode()).isEqualTo(201);
        String tail = nextOffset(append(A, name, "before "));
        try (SseReader sse = SseReader.open(node(B), name, "-1")) {
            CompletableFuture<HttpResponse<byte[]>> poll = longPollWhenWaiting(B, name, tail);
            await(() -> sse.sawControl("\"upToDate\":true"), sse::toString);

            postgres.crash();
            postgres.restart();
            // A answers 503 until its pool reconnects: the producer retries (a retry of a landed batch is a 204)
            byte[] batch = "after".getBytes(StandardCharsets.UTF_8);
            Failover.Outcome<HttpResponse<byte[]>> appended = Failover.send(i -> node(A), 0,
                    n -> n.post(name, batch, false, new Http.Producer("p", 0, 0), null), WAIT);
            assertThat(appended.status()).as(appended.lastFailure()).isIn(200, 204);

            HttpResponse<byte[]> polled = poll.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(polled.statusCode()).isEqualTo(200);
            assertThat(text(polled)).isEqualTo("after");
            await(() -> sse.data().equals("before after"), sse::toString);
        }
        await(() -> ready(A) && ready(B), () -> "a node is not ready again after the database restart");
    }

    private static boolean ready(int nodeIndex) {
        try {
            return METRICS.send(HttpRequest.newBuilder(URI.create(node(nodeIndex).baseUrl + "/readyz")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void producersOnAAndBInterleaveWithEveryAppendExactlyOnce() throws Exception {
        String name = "producers/two";
        assertThat(node(A).create(name).statusCode()).isEqualTo(201);
        int batches = 40;
        CompletableFuture<Void> onA = CompletableFuture.runAsync(() -> produce(name, "pa", A, batches));
        CompletableFuture<Void> onB = CompletableFuture.runAsync(() -> produce(name, "pb", B, batches));
        onA.get(60, TimeUnit.SECONDS);
        onB.get(60, TimeUnit.SECONDS);

        Http.Read readA = node(A).readAll(name);
        Http.Read readB = node(B).readAll(name);
        assertThat(readB.body()).isEqualTo(readA.body());
        assertThat(readB.nextOffset()).isEqualTo(readA.nextOffset());
        List<String> lines = new String(readA.body(), StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2 * batches);
        assertThat(lines.stream().filter(l -> l.startsWith("pa ")).toList()).isEqualTo(batchLines("pa", batches));
        assertThat(lines.stream().filter(l -> l.startsWith("pb ")).toList()).isEqualTo(batchLines("pb", batches));
    }

    /** Appends seq 0..n-1 through one node; every 5th batch is then sent again through the other: a duplicate. */
    private static void produce(String name, String producer, int nodeIndex, int n) {
        try {
            for (int seq = 0; seq < n; seq++) {
                byte[] batch = (producer + " " + seq + "\n").getBytes(StandardCharsets.UTF_8);
                Http.Producer tuple = new Http.Producer(producer, 0, seq);
                HttpResponse<byte[]> r = node(nodeIndex).post(name, batch, false, tuple, null);
                assertThat(r.statusCode()).as("%s seq %d", producer, seq).isEqualTo(200);
                if (seq % 5 == 0) {
                    HttpResponse<byte[]> again = node(1 - nodeIndex).post(name, batch, false, tuple, null);
                    assertThat(again.statusCode()).as("%s seq %d again, on the other node", producer, seq).isEqualTo(204);
                    assertThat(again.headers().firstValue("producer-seq")).hasValue(Integer.toString(seq));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<String> batchLines(String producer, int n) {
        List<String> out = new ArrayList<>();
        for (int seq = 0; seq < n; seq++) {
            out.add(producer + " " + seq);
        }
        return out;
    }

    /**
     * A is killed while its transaction holding the batch waits inside the database (a test trigger
     * on the batch's row blocks it on a lock the test holds): the batch was never committed, so
     * the same batch sent to B is applied (200), once.
     */
    @Test
    void aProducerFailsOverToBWhenAIsKilledBeforeItsBatchCommits() throws Exception {
        String name = "failover/before-commit";
        HttpResponse<byte[]> retried = killAWithBatchInFlight(name, "BEFORE INSERT ON ds_chunk FOR EACH ROW", 7301);
        assertThat(retried.statusCode()).as("the batch never committed: applied by B").isEqualTo(200);
    }

    /**
     * A is killed while the database runs the COMMIT of its batch (a deferred test trigger blocks
     * the commit on a lock the test holds, then lets it finish): the batch is committed but A never
     * answered, so the same batch sent to B is a duplicate (204), and it is in the stream once.
     */
    @Test
    void aProducerFailsOverToBWhenAIsKilledWhileItsBatchCommits() throws Exception {
        String name = "failover/during-commit";
        HttpResponse<byte[]> retried = killAWithBatchInFlight(name,
                "AFTER INSERT ON ds_chunk DEFERRABLE INITIALLY DEFERRED FOR EACH ROW", 7302);
        assertThat(retried.statusCode()).as("A's commit went through: a duplicate on B").isEqualTo(204);
        assertThat(retried.headers().firstValue("producer-seq")).hasValue("2");
    }

    /**
     * Producer "p" appends batches 0 and 1 through A; batch 2 is held in the database by a trigger
     * ({@code timing}) on its row that waits for advisory lock {@code lock}, held by the test; A is
     * SIGKILLed while it waits, then the lock is released and the producer sends batch 2 again, to B
     * (returned), and batch 3. A is started again; both nodes must then hold batches 0..3 once each.
     */
    private static HttpResponse<byte[]> killAWithBatchInFlight(String name, String timing, int lock) throws Exception {
        assertThat(node(A).create(name).statusCode()).isEqualTo(201);
        assertThat(produceOne(A, name, 0).statusCode()).isEqualTo(200);
        assertThat(produceOne(A, name, 1).statusCode()).isEqualTo(200);
        String trigger = "ds_test_hold_" + lock;
        try (Connection db = TestPostgres.connect(database); Statement st = db.createStatement()) {
            st.execute("CREATE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "PERFORM pg_advisory_xact_lock_shared(" + lock + "); RETURN NEW; END $$");
            st.execute("CREATE " + (timing.contains("DEFERRABLE") ? "CONSTRAINT " : "") + "TRIGGER " + trigger + " " + timing
                    + " WHEN (NEW.name = '" + name + "') EXECUTE FUNCTION " + trigger + "()");
            HttpResponse<byte[]> retried;
            try {
                st.execute("SELECT pg_advisory_lock(" + lock + ")");
                CompletableFuture<HttpResponse<byte[]>> inFlight = async(() -> produceOne(A, name, 2));
                await(() -> waitsForLock(st, lock), () -> "A's transaction never reached the trigger");
                cluster.kill(A);
                assertThatThrownBy(() -> inFlight.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
                st.execute("SELECT pg_advisory_unlock(" + lock + ")");
                retried = produceOne(B, name, 2);
                assertThat(produceOne(B, name, 3).statusCode()).isEqualTo(200);
            } finally {
                st.execute("DROP TRIGGER " + trigger + " ON ds_chunk");
                st.execute("DROP FUNCTION " + trigger + "()");
                if (!cluster.process(A).alive()) {
                    cluster.restart(A);
                }
            }
            String expected = "p 0\np 1\np 2\np 3\n";
            Http.Read onA = node(A).readAll(name);
            Http.Read onB = node(B).readAll(name);
            assertThat(new String(onA.body(), StandardCharsets.UTF_8)).isEqualTo(expected);
            assertThat(new String(onB.body(), StandardCharsets.UTF_8)).isEqualTo(expected);
            assertThat(onA.nextOffset()).isEqualTo(onB.nextOffset());
            return retried;
        }
    }

    private static HttpResponse<byte[]> produceOne(int nodeIndex, String name, int seq) throws IOException, InterruptedException {
        return node(nodeIndex).post(name, ("p " + seq + "\n").getBytes(StandardCharsets.UTF_8), false, new Http.Producer("p", 0, seq), null);
    }

    /** Whether a backend waits for advisory lock {@code key} of this database (the test holds it). */
    private static boolean waitsForLock(Statement st, int key) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = " + key
                + " AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            rs.next();
            return rs.getInt(1) > 0;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<byte[]> append(int nodeIndex, String name, String text) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = node(nodeIndex).post(name, text.getBytes(StandardCharsets.UTF_8), false, null, null);
        assertThat(r.statusCode()).as("append to %s", name).isEqualTo(204);
        return r;
    }

    /**
     * A long-poll at {@code offset} on the node, returned once the node counts it among its open
     * long-polls, so that what the test does next happens while it waits.
     */
    private static CompletableFuture<HttpResponse<byte[]>> longPollWhenWaiting(int nodeIndex, String name, String offset) {
        Http n = node(nodeIndex);
        double before = openLongPolls(n);
        CompletableFuture<HttpResponse<byte[]>> poll = async(() -> n.longPoll(name, offset, LONG_POLL_TIMEOUT.plusSeconds(10)));
        await(() -> poll.isDone() || openLongPolls(n) > before, () -> "no long-poll open on node " + (nodeIndex + 1));
        assertThat(poll).as("the long-poll waits").isNotDone();
        return poll;
    }

    /** The node's {@code ds_live_connections{mode="long-poll"}} gauge. */
    private static double openLongPolls(Http n) {
        try {
            String metrics = METRICS.send(HttpRequest.newBuilder(URI.create(n.baseUrl + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("ds_live_connections{") && l.contains("mode=\"long-poll\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    interface Call<T> {
        T call() throws Exception;
    }

    private static <T> CompletableFuture<T> async(Call<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(call.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "test-request");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Polls {@code condition} until it holds, failing after {@link #WAIT}. */
    private static void await(BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + state.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static String nextOffset(HttpResponse<byte[]> r) {
        return r.headers().firstValue("stream-next-offset").orElseThrow();
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
