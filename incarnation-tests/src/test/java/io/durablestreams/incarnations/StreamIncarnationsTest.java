package io.durablestreams.incarnations;

import io.durablestreams.client.Chunk;
import io.durablestreams.client.CloseableIterator;
import io.durablestreams.client.CreateOptions;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamException;
import io.durablestreams.client.IdempotentProducer;
import io.durablestreams.client.IncarnationChangedException;
import io.durablestreams.client.JsonBatch;
import io.durablestreams.client.LiveMode;
import io.durablestreams.client.ProducerOptions;
import io.durablestreams.client.ReadOptions;
import io.durablestreams.client.ReadResponse;
import io.durablestreams.client.StreamNotFoundException;
import io.durablestreams.client.StreamResetException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The stream-incarnations extension end to end: the Java client against the real server, with streams
 * deleted or expired and created again under live readers, concurrent writers and a producer with
 * batches in flight. The property checked throughout: a reader gets a reset (or, if it polls while the
 * name is free, a 404), never silence and never the new stream's bytes as the old one's; a writer
 * never writes into an incarnation it did not pin.
 */
class StreamIncarnationsTest {
    private static final String JSON = "application/json";
    private static final long WAIT_SECONDS = 20;

    private final RealServer server;

    StreamIncarnationsTest() throws Exception {
        server = new RealServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String incarnationOf(String offset) {
        return offset.substring(0, 16);
    }

    private DurableStream created(String name, boolean restartable) {
        DurableStream s = server.stream(name);
        s.create(CreateOptions.newBuilder().contentType("text/plain").restartable(restartable).build());
        return s;
    }

    /** Consumes a live read until it is caught up, so that no request of it is in flight. */
    private static List<Chunk> untilUpToDate(CloseableIterator<Chunk> it) {
        List<Chunk> chunks = new ArrayList<>();
        while (true) {
            Chunk c = it.next();
            chunks.add(c);
            if (c.upToDate()) {
                return chunks;
            }
        }
    }

    private static String text(List<Chunk> chunks) {
        StringBuilder sb = new StringBuilder();
        chunks.forEach(c -> sb.append(c.text()));
        return sb.toString();
    }

    // ---------------------------------------------------------------- delete + recreate, reader between polls

    @Test
    void longPollReaderOfARecreatedStreamGetsAResetNotTheNewBytes() {
        DurableStream s = created("lp", false);
        s.append("old data");
        try (ReadResponse r = s.read(ReadOptions.newBuilder().live(LiveMode.LONG_POLL).build());
             CloseableIterator<Chunk> it = r.chunks()) {
            String oldIncarnation = incarnationOf(r.offset());
            assertThat(text(untilUpToDate(it))).isEqualTo("old data");

            s.delete();
            DurableStream again = created("lp", false);
            again.append("NEW DATA, longer than the old");

            assertThatThrownBy(it::hasNext).isInstanceOfSatisfying(StreamResetException.class, e -> {
                assertThat(e.oldIncarnation()).isEqualTo(oldIncarnation);
                assertThat(e.newIncarnation()).isEqualTo(again.incarnation()).isGreaterThan(oldIncarnation);
                assertThat(e.restartable()).isFalse();
            });
        }
    }

    @Test
    void sseReaderOfARestartableStreamRestartsAndSeesOnlyTheNewIncarnation() {
        DurableStream s = created("sse", true);
        s.append("old");
        List<String> resets = new CopyOnWriteArrayList<>();
        try (ReadResponse r = s.read(ReadOptions.newBuilder().live(LiveMode.SSE)
                .onReset((o, n) -> resets.add(o + "->" + n)).build());
             CloseableIterator<Chunk> it = r.chunks()) {
            assertThat(text(untilUpToDate(it))).isEqualTo("old");
            String oldIncarnation = s.incarnation();

            s.delete();
            DurableStream again = created("sse", true);
            again.append("new");

            // The SSE session ended with the delete; the reconnect from the old offset is answered 410.
            Chunk marker = it.next();
            assertThat(marker.reset()).isTrue();
            List<Chunk> after = untilUpToDate(it);
            assertThat(text(after)).isEqualTo("new");
            assertThat(after).allSatisfy(c -> assertThat(incarnationOf(c.offset())).isEqualTo(again.incarnation()));
            assertThat(resets).containsExactly(oldIncarnation + "->" + again.incarnation());
        }
    }

    // ---------------------------------------------------------------- delete + recreate, request in flight

    @Test
    void liveReadersWithARequestInFlightEndLoudlyAndNeverDeliverTheNewBytes() throws Exception {
        for (LiveMode mode : List.of(LiveMode.LONG_POLL, LiveMode.SSE)) {
            String name = "inflight-" + mode;
            DurableStream s = created(name, false);
            s.append("old");
            List<String> seen = new CopyOnWriteArrayList<>();
            CountDownLatch caughtUp = new CountDownLatch(1);
            CompletableFuture<Throwable> ending = new CompletableFuture<>();
            ReadResponse r = s.read(ReadOptions.newBuilder().live(mode).build());
            Thread reader = new Thread(() -> {
                try (CloseableIterator<Chunk> it = r.chunks()) {
                    while (it.hasNext()) {
                        Chunk c = it.next();
                        seen.add(c.text());
                        if (c.upToDate()) {
                            caughtUp.countDown();
                        }
                    }
                    ending.complete(null);
                } catch (RuntimeException e) {
                    ending.complete(e);
                }
            });
            reader.start();
            assertThat(caughtUp.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

            s.delete();
            created(name, false).append("new");

            Throwable end = ending.get(WAIT_SECONDS, TimeUnit.SECONDS);
            // 404 if the reader re-polled while the name was free, 410 stream-reset if after the recreate.
            assertThat(end).as(mode.toString()).isInstanceOfAny(StreamResetException.class,
                    StreamNotFoundException.class);
            assertThat(String.join("", seen)).as(mode.toString()).isEqualTo("old");
            r.close();
        }
    }

    // ---------------------------------------------------------------- expire + recreate

    @Test
    void expiryAndRecreateUnderALongPollReaderGiveAReset() throws Exception {
        DurableStream s = server.stream("ttl");
        s.create(CreateOptions.newBuilder().contentType("text/plain").ttlSeconds(1).build());
        s.append("old");
        try (ReadResponse r = s.read(ReadOptions.newBuilder().live(LiveMode.LONG_POLL).build());
             CloseableIterator<Chunk> it = r.chunks()) {
            assertThat(text(untilUpToDate(it))).isEqualTo("old");

            server.advanceClock(2_000);
            awaitGone(s);
            DurableStream again = server.stream("ttl");
            again.create(CreateOptions.newBuilder().contentType("text/plain").ttlSeconds(1).build());
            again.append("new");

            assertThatThrownBy(it::hasNext).isInstanceOf(StreamResetException.class);
        }
    }

    /** Polls HEAD until the stream is gone: expiry is applied on access. */
    private static void awaitGone(DurableStream s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            try {
                s.head();
            } catch (StreamNotFoundException e) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(s + " did not expire");
    }

    // ---------------------------------------------------------------- the race

    /**
     * Writers append messages tagged with the incarnation their handle pinned while the stream is
     * deleted and recreated over and over, and readers tail it. Every message any reader sees must carry
     * the incarnation of the offset it was read at, and the final stream must hold only messages of its
     * own incarnation.
     */
    @Test
    void deleteRecreateRaceWithConcurrentReadersAndWriters() throws Exception {
        String name = "race";
        server.stream(name).create(CreateOptions.newBuilder().contentType(JSON).build());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicInteger checkedMessages = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int writer = w;
            threads.add(new Thread(() -> write(name, writer, stop, written)));
        }
        for (int i = 0; i < 2; i++) {
            LiveMode mode = i == 0 ? LiveMode.LONG_POLL : LiveMode.SSE;
            threads.add(new Thread(() -> tail(name, mode, stop, violations, checkedMessages)));
        }
        threads.forEach(Thread::start);
        for (int round = 0; round < 10; round++) {
            int before = written.get();
            awaitAtLeast(written, before + 20);
            server.stream(name).delete();
            server.stream(name).create(CreateOptions.newBuilder().contentType(JSON).build());
        }
        awaitAtLeast(written, written.get() + 20);
        stop.set(true);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(violations).isEmpty();
        assertThat(checkedMessages.get()).isPositive();

        DurableStream last = server.stream(name);
        String current = last.head().incarnation();
        try (ReadResponse r = last.read()) {
            List<Object> messages = r.readAllJson();
            assertThat(messages).isNotEmpty();
            assertThat(messages).allSatisfy(m -> assertThat(((Map<?, ?>) m).get("inc")).isEqualTo(current));
        }
    }

    private void write(String name, int writer, AtomicBoolean stop, AtomicInteger written) {
        DurableStream s = server.stream(name);
        int n = 0;
        while (!stop.get()) {
            try {
                if (s.incarnation() == null) {
                    s.connect();
                }
                s.appendJson(Map.of("inc", s.incarnation(), "w", writer, "n", n++));
                written.incrementAndGet();
            } catch (IncarnationChangedException e) {
                s.connect();
            } catch (StreamNotFoundException e) {
                // Between delete and create: try again.
                Thread.onSpinWait();
            }
        }
    }

    private void tail(String name, LiveMode mode, AtomicBoolean stop, List<String> violations, AtomicInteger checked) {
        while (!stop.get()) {
            try (ReadResponse r = server.stream(name).read(ReadOptions.newBuilder().live(mode).build());
                 CloseableIterator<JsonBatch<Object>> batches = r.jsonBatches()) {
                while (!stop.get() && batches.hasNext()) {
                    JsonBatch<Object> b = batches.next();
                    for (Object m : b.messages()) {
                        Object tag = ((Map<?, ?>) m).get("inc");
                        if (!incarnationOf(b.offset()).equals(tag)) {
                            violations.add(mode + " read " + m + " at offset " + b.offset());
                        }
                        checked.incrementAndGet();
                    }
                }
            } catch (StreamResetException | StreamNotFoundException e) {
                // The stream was recreated (or is about to be): start again from its beginning.
            } catch (DurableStreamException e) {
                violations.add(mode + " failed: " + e);
            }
        }
    }

    private static void awaitAtLeast(AtomicInteger counter, int target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (counter.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("writers stalled at " + counter.get() + " of " + target);
            }
            Thread.sleep(1);
        }
    }

    // ---------------------------------------------------------------- producer mid-batch

    /** Holds the producer's send tasks until the test runs them, to place a recreate between batches. */
    private static final class HeldExecutor implements Executor {
        private final Queue<Runnable> held = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            held.add(task);
        }

        void runNext(int n) {
            for (int i = 0; i < n; i++) {
                Runnable task;
                synchronized (this) {
                    task = held.poll();
                }
                task.run();
            }
        }

        synchronized int size() {
            return held.size();
        }
    }

    @Test
    void producerMidBatchAcrossARecreateDeliversNothingToTheNewStreamAndListsWhatItDidNotDeliver() {
        DurableStream s = server.stream("producer");
        s.create(CreateOptions.newBuilder().contentType(JSON).build());
        HeldExecutor sends = new HeldExecutor();
        IdempotentProducer producer = s.producer(ProducerOptions.newBuilder("p1").lingerMs(0).maxBatchItems(1)
                .maxInFlight(5).executor(sends).build());
        producer.appendJson("a");
        sends.runNext(1); // until the epoch is confirmed, the producer sends one batch at a time
        for (String item : List.of("b", "c", "d", "e")) {
            producer.appendJson(item);
        }
        assertThat(sends.size()).isEqualTo(4);
        sends.runNext(1);

        s.delete();
        DurableStream again = server.stream("producer");
        again.create(CreateOptions.newBuilder().contentType(JSON).build());
        sends.runNext(3);

        Throwable failure = catchThrowable(producer::flush);
        assertThat(failure).isInstanceOf(IncarnationChangedException.class);
        IncarnationChangedException changed = (IncarnationChangedException) failure;
        assertThat(changed.pinnedIncarnation()).isEqualTo(s.incarnation());
        assertThat(changed.currentIncarnation()).isEqualTo(again.incarnation());
        assertThat(changed.undeliveredItems()).extracting(i -> new String(i, StandardCharsets.UTF_8))
                .containsExactly("\"c\"", "\"d\"", "\"e\"");
        try (ReadResponse r = again.read()) {
            assertThat(r.readAllJson()).as("nothing leaked into the new stream").isEmpty();
        }

        producer.continueOnNewIncarnation();
        changed.undeliveredItems().forEach(producer::append);
        assertThat(sends.size()).as("the new epoch's first batch goes alone").isEqualTo(1);
        sends.runNext(1);
        assertThat(sends.size()).isEqualTo(2);
        sends.runNext(2);
        producer.close();
        try (ReadResponse r = again.read()) {
            assertThat(r.readAllJson()).containsExactly("c", "d", "e");
        }
        assertThat(incarnationOf(producer.lastOffset())).isEqualTo(again.incarnation());
    }
}
