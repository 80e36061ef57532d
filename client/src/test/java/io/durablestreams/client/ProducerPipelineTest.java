package io.durablestreams.client;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The producer's sequencing against a model of the server's §5.2.1 validation, with responses
 * delivered in random order (out-of-order arrival under pipelining). jqwik prints the seed of a
 * failing run; replay it with {@code @Property(seed = "...")}.
 */
class ProducerPipelineTest {
    private static final URI URL = URI.create("http://127.0.0.1/s");

    /** The server's producer state machine, one producer id. */
    static final class ModelServer {
        long epoch;
        long lastSeq = -1;
        boolean known;
        final List<String> log = new ArrayList<>();

        /** Another instance of the producer holds {@code fencedAtEpoch} (if {@code >= 0}) and wrote "other". */
        ModelServer(long fencedAtEpoch) {
            if (fencedAtEpoch >= 0) {
                hold(fencedAtEpoch, List.of("other"));
            }
        }

        /** Another instance (an earlier run) wrote {@code items} as seq 0, 1, ... in {@code epoch}. */
        static ModelServer heldBy(long epoch, List<String> items) {
            ModelServer server = new ModelServer(-1);
            server.hold(epoch, items);
            return server;
        }

        private void hold(long epoch, List<String> items) {
            known = true;
            this.epoch = epoch;
            lastSeq = items.size() - 1;
            log.addAll(items);
        }

        ProducerPipeline.Outcome handle(ProducerPipeline.Attempt a) {
            if (known && a.epoch() < epoch) {
                return new ProducerPipeline.Outcome.Stale(new StaleEpochException("stale", 403, URL, epoch));
            }
            if (!known || a.epoch() > epoch) {
                if (a.seq() != 0) {
                    return known
                            ? new ProducerPipeline.Outcome.Failed(new BadRequestException("seq!=0", 400, URL, null))
                            : gap(0, a.seq());
                }
                known = true;
                epoch = a.epoch();
                lastSeq = 0;
                return accept(a);
            }
            if (a.seq() <= lastSeq) {
                return new ProducerPipeline.Outcome.Accepted(offset(), true);
            }
            if (a.seq() == lastSeq + 1) {
                lastSeq = a.seq();
                return accept(a);
            }
            return gap(lastSeq + 1, a.seq());
        }

        private ProducerPipeline.Outcome accept(ProducerPipeline.Attempt a) {
            for (byte[] item : a.batch().items()) {
                log.add(new String(item, StandardCharsets.UTF_8));
            }
            return new ProducerPipeline.Outcome.Accepted(offset(), false);
        }

        private String offset() {
            return String.format("%08d", log.size());
        }

        private static ProducerPipeline.Outcome gap(long expected, long received) {
            return new ProducerPipeline.Outcome.Gap(new SequenceGapException("gap", 409, URL, expected, received));
        }
    }

    /** Holds requests "on the wire" so the test decides in which order the server sees them. */
    static final class Wire implements ProducerPipeline.BatchSender {
        record Pending(ProducerPipeline.Attempt attempt, Consumer<ProducerPipeline.Outcome> callback) {
        }

        final List<Pending> inFlight = new ArrayList<>();
        final List<ProducerPipeline.Attempt> sent = new ArrayList<>();
        int maxConcurrent;

        @Override
        public void send(ProducerPipeline.Attempt attempt, Consumer<ProducerPipeline.Outcome> onOutcome) {
            inFlight.add(new Pending(attempt, onOutcome));
            sent.add(attempt);
            maxConcurrent = Math.max(maxConcurrent, inFlight.size());
        }

        /** Whether the transport loses a random quarter of the answers, after the server applied the request. */
        boolean lossy;

        void deliverAll(ModelServer server, Random random) {
            while (!inFlight.isEmpty()) {
                deliver(inFlight.remove(random.nextInt(inFlight.size())), server, random);
            }
        }

        /** Hands one request to the server; a lost answer makes the transport send it again. */
        void deliver(Pending p, ModelServer server, Random random) {
            ProducerPipeline.Outcome outcome = server.handle(p.attempt());
            if (lossy && random.nextInt(4) == 0) {
                outcome = resent(server.handle(p.attempt()));
            }
            p.callback().accept(outcome);
        }

        private static ProducerPipeline.Outcome resent(ProducerPipeline.Outcome o) {
            if (o instanceof ProducerPipeline.Outcome.Accepted a) {
                return new ProducerPipeline.Outcome.Accepted(a.nextOffset(), a.duplicate(), a.incarnation(), true);
            }
            if (o instanceof ProducerPipeline.Outcome.Gap g) {
                return new ProducerPipeline.Outcome.Gap(g.error(), true);
            }
            return o;
        }
    }

    private static ProducerPipeline pipeline(ProducerPipeline.BatchSender sender, ProducerOptions.Builder options) {
        return new ProducerPipeline(sender, options.build(), URL, null);
    }

    private static ProducerOptions.Builder options(long epoch, int maxInFlight) {
        return ProducerOptions.newBuilder("p").epoch(epoch).maxInFlight(maxInFlight);
    }

    private static Batch item(String s) {
        return new Batch(List.of(s.getBytes(StandardCharsets.UTF_8)), false);
    }

    @Property(tries = 300)
    void everyItemLandsExactlyOnceInOrderWhateverTheArrivalOrder(@ForAll @IntRange(min = 1, max = 40) int count,
                                                                   @ForAll @IntRange(min = 1, max = 6) int maxInFlight,
                                                                   @ForAll @IntRange(min = 1, max = 4) int fencedAt,
                                                                   @ForAll boolean autoClaim,
                                                                   @ForAll boolean lossy,
                                                                   @ForAll Random random) throws Exception {
        // Another instance of the same producer id holds epoch fencedAt (0 = nobody: the producer is new).
        ModelServer server = new ModelServer(autoClaim && fencedAt > 0 ? fencedAt : -1);
        Wire wire = new Wire();
        wire.lossy = lossy;
        ProducerPipeline pipeline = pipeline(wire, options(0, maxInFlight).autoClaim(autoClaim));
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add("m" + i);
            pipeline.enqueue(item("m" + i), false);
            if (random.nextInt(3) == 0) {
                pipeline.pump();
                if (!wire.inFlight.isEmpty() && random.nextBoolean()) {
                    wire.deliver(wire.inFlight.remove(random.nextInt(wire.inFlight.size())), server, random);
                }
            }
        }
        pipeline.pump();
        wire.deliverAll(server, random);

        assertThat(pipeline.awaitIdle(0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(pipeline.failure()).isNull();
        List<String> expected = new ArrayList<>(autoClaim && fencedAt > 0 ? List.of("other") : List.of());
        expected.addAll(items);
        assertThat(server.log).isEqualTo(expected);
        assertThat(wire.maxConcurrent).isLessThanOrEqualTo(maxInFlight);
        assertThat(pipeline.lastOffset()).isEqualTo(String.format("%08d", expected.size()));
        if (autoClaim && fencedAt > 0) {
            assertThat(pipeline.epoch()).isEqualTo(fencedAt + 1L);
        }
    }

    @Property(tries = 200)
    void noBatchReservesASequenceNumberBeforeTheClaimCompletes(@ForAll @IntRange(min = 2, max = 20) int count,
                                                              @ForAll @IntRange(min = 1, max = 4) int fencedAt,
                                                              @ForAll Random random) {
        ModelServer server = new ModelServer(fencedAt);
        Wire wire = new Wire();
        ProducerPipeline pipeline = pipeline(wire, options(0, 5).autoClaim(true));
        for (int i = 0; i < count; i++) {
            pipeline.enqueue(item("m" + i), false);
        }
        pipeline.pump();
        long confirmedEpoch = -1;
        while (!wire.inFlight.isEmpty()) {
            Wire.Pending p = wire.inFlight.remove(random.nextInt(wire.inFlight.size()));
            ProducerPipeline.Outcome o = server.handle(p.attempt());
            if (p.attempt().epoch() != confirmedEpoch) {
                // Until this epoch is confirmed, the only request on the wire is the claim itself.
                assertThat(wire.inFlight).isEmpty();
                assertThat(p.attempt().seq()).isZero();
            }
            if (o instanceof ProducerPipeline.Outcome.Accepted) {
                confirmedEpoch = p.attempt().epoch();
            }
            p.callback().accept(o);
        }
        assertThat(pipeline.failure()).isNull();
        assertThat(server.log).hasSize(count + 1);
    }

    @Test
    void aPermanentFailureFailsTheQueueAndIsReported() {
        Wire wire = new Wire();
        ProducerPipeline pipeline = pipeline(wire, options(3, 5));
        ModelServer server = new ModelServer(7);
        pipeline.enqueue(item("a"), false);
        pipeline.enqueue(item("b"), false);
        pipeline.pump();
        wire.deliverAll(server, new Random(1));
        assertThat(pipeline.failure()).isInstanceOf(StaleEpochException.class);
        assertThat(((StaleEpochException) pipeline.failure()).currentEpoch()).isEqualTo(7);
        ProducerPipeline.Entry late = pipeline.enqueue(item("c"), false);
        assertThat(late.succeeded()).isFalse();
        assertThat(server.log).containsExactly("other");
    }

    @Test
    void lastOffsetNeverMovesBackwards() {
        Wire wire = new Wire();
        ProducerPipeline pipeline = pipeline(wire, options(0, 5));
        pipeline.enqueue(item("a"), false);
        pipeline.pump();
        wire.inFlight.remove(0).callback().accept(new ProducerPipeline.Outcome.Accepted("0001", false));
        pipeline.enqueue(item("b"), false);
        pipeline.enqueue(item("c"), false);
        pipeline.pump();
        Wire.Pending second = wire.inFlight.get(0);
        Wire.Pending third = wire.inFlight.get(1);
        third.callback().accept(new ProducerPipeline.Outcome.Accepted("0003", false));
        second.callback().accept(new ProducerPipeline.Outcome.Accepted("0002", false));
        assertThat(pipeline.lastOffset()).isEqualTo("0003");
    }

    @Test
    void pendingBytesBlockUntilAcknowledgedOrFailed() throws InterruptedException {
        List<Runnable> unanswered = new ArrayList<>();
        ProducerPipeline.BatchSender wire = (attempt, onOutcome) -> unanswered.add(
                () -> onOutcome.accept(new ProducerPipeline.Outcome.Accepted(String.valueOf(attempt.seq()), false)));
        ProducerPipeline pipeline = pipeline(wire, options(0, 2));
        for (int i = 0; i < 5; i++) {
            pipeline.enqueue(new Batch(List.of("0123456789".getBytes(StandardCharsets.UTF_8)), false), false);
        }
        pipeline.pump();

        assertThat(pipeline.awaitPendingBelow(50, 0, TimeUnit.MILLISECONDS)).as("50 bytes pending").isFalse();
        assertThat(pipeline.awaitPendingBelow(51, 0, TimeUnit.MILLISECONDS)).isTrue();
        unanswered.remove(0).run(); // one acknowledgement frees its 10 bytes
        assertThat(pipeline.awaitPendingBelow(50, 0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(pipeline.awaitPendingBelow(40, 0, TimeUnit.MILLISECONDS)).isFalse();

        ProducerPipeline.BatchSender failing = (attempt, onOutcome) -> onOutcome.accept(
                new ProducerPipeline.Outcome.Failed(new BadRequestException("no", 400, URL, null)));
        ProducerPipeline failed = pipeline(failing, options(0, 1));
        for (int i = 0; i < 5; i++) {
            failed.enqueue(new Batch(List.of("0123456789".getBytes(StandardCharsets.UTF_8)), false), false);
        }
        failed.pump();
        assertThat(failed.awaitPendingBelow(1, 0, TimeUnit.MILLISECONDS)).as("a failed producer never blocks").isTrue();
    }

    enum RerunMode { FAIL, AUTO_CLAIM, DEDUPLICATE_ACROSS_RUNS }

    @Property(tries = 300)
    void aRunInAnEpochAnEarlierRunUsedIsNoticedWhateverTheArrivalOrder(
            @ForAll @IntRange(min = 1, max = 30) int count, @ForAll @IntRange(min = 1, max = 6) int maxInFlight,
            @ForAll @IntRange(min = 1, max = 8) int earlierItems, @ForAll RerunMode mode,
            @ForAll Random random) throws InterruptedException {
        // The earlier run wrote the first earlierItems items of the same input, one per batch, in epoch 2.
        // No answer is lost here: a lost answer to the first try makes the retry's "duplicate" ambiguous,
        // and the producer then takes it for its own write (see everyItemLandsExactlyOnce...).
        List<String> items = new ArrayList<>();
        for (int i = 0; i < Math.max(count, earlierItems); i++) {
            items.add("m" + i);
        }
        ModelServer server = ModelServer.heldBy(2, items.subList(0, earlierItems));
        List<String> earlier = List.copyOf(server.log);
        items = items.subList(0, count);
        Wire wire = new Wire();
        ProducerPipeline pipeline = pipeline(wire, options(2, maxInFlight)
                .autoClaim(mode == RerunMode.AUTO_CLAIM)
                .deduplicateAcrossRuns(mode == RerunMode.DEDUPLICATE_ACROSS_RUNS));
        for (String item : items) {
            pipeline.enqueue(item(item), false);
            if (random.nextInt(3) == 0) {
                pipeline.pump();
                if (!wire.inFlight.isEmpty() && random.nextBoolean()) {
                    wire.deliver(wire.inFlight.remove(random.nextInt(wire.inFlight.size())), server, random);
                }
            }
        }
        pipeline.pump();
        wire.deliverAll(server, random);

        assertThat(pipeline.awaitIdle(0, TimeUnit.MILLISECONDS)).isTrue();
        switch (mode) {
            case FAIL -> {
                assertThat(pipeline.failure()).isInstanceOfSatisfying(ProducerDuplicateException.class, e -> {
                    assertThat(e.epoch()).isEqualTo(2);
                    assertThat(e.seq()).isZero();
                });
                assertThat(server.log).as("nothing written after the reused epoch was noticed").isEqualTo(earlier);
            }
            case AUTO_CLAIM -> {
                assertThat(pipeline.failure()).isNull();
                List<String> expected = new ArrayList<>(earlier);
                expected.addAll(items);
                assertThat(server.log).isEqualTo(expected);
                assertThat(pipeline.epoch()).isEqualTo(3);
            }
            case DEDUPLICATE_ACROSS_RUNS -> {
                assertThat(pipeline.failure()).isNull();
                assertThat(server.log).isEqualTo(earlierItems >= count ? earlier : items);
                assertThat(pipeline.deduplicatedItems()).isEqualTo(Math.min(count, earlierItems));
                assertThat(pipeline.epoch()).isEqualTo(2);
            }
        }
        assertThat(wire.maxConcurrent).isLessThanOrEqualTo(maxInFlight);
    }

    @Test
    void aDuplicateAnswerToAResentTryIsOurOwnWriteNotAReusedEpoch() {
        Wire wire = new Wire();
        ProducerPipeline pipeline = pipeline(wire, options(0, 5).autoClaim(true));
        pipeline.enqueue(item("a"), false);
        pipeline.pump();
        wire.inFlight.remove(0).callback().accept(new ProducerPipeline.Outcome.Accepted("0001", true, null, true));
        assertThat(pipeline.failure()).isNull();
        assertThat(pipeline.epoch()).isZero();
        assertThat(pipeline.lastOffset()).isEqualTo("0001");
        assertThat(wire.sent).hasSize(1);
    }

    @Test
    void aDuplicateAnswerAfterAGapAnswerToAResentTryIsOurOwnWrite() {
        // seq 1 was sent twice (the first answer was lost) and the server answered the second try "gap":
        // the first try may still have been applied after seq 0 arrived, so a later "duplicate" is ours.
        Wire wire = new Wire();
        ProducerPipeline pipeline = pipeline(wire, options(0, 5));
        pipeline.enqueue(item("a"), false);
        pipeline.pump();
        wire.inFlight.remove(0).callback().accept(new ProducerPipeline.Outcome.Accepted("0001", false));
        pipeline.enqueue(item("b"), false);
        pipeline.enqueue(item("c"), false);
        pipeline.pump();
        Wire.Pending b = wire.inFlight.remove(0);
        Wire.Pending c = wire.inFlight.remove(0);
        c.callback().accept(new ProducerPipeline.Outcome.Gap(new SequenceGapException("gap", 409, URL, 1, 2), true));
        b.callback().accept(new ProducerPipeline.Outcome.Accepted("0002", false));
        Wire.Pending cAgain = wire.inFlight.remove(0);
        assertThat(cAgain.attempt().seq()).isEqualTo(2);
        cAgain.callback().accept(new ProducerPipeline.Outcome.Accepted("0003", true));
        assertThat(pipeline.failure()).isNull();
        assertThat(pipeline.lastOffset()).isEqualTo("0003");
    }

    @Test
    void inFlightBatchesOfAnEpochAnotherInstanceTookOverAreResentInOrderInTheNextEpoch() throws InterruptedException {
        // After our seq 0, another instance with the same id and epoch wrote seqs 1 to 9: every pipelined
        // batch of ours is answered "duplicate" at its first try.
        Wire wire = new Wire();
        ProducerPipeline pipeline = pipeline(wire, options(0, 4).autoClaim(true));
        pipeline.enqueue(item("m0"), false);
        pipeline.pump();
        wire.inFlight.remove(0).callback().accept(new ProducerPipeline.Outcome.Accepted("0001", false));
        for (int i = 1; i <= 6; i++) {
            pipeline.enqueue(item("m" + i), false);
        }
        pipeline.pump();
        assertThat(wire.inFlight).hasSize(4);
        for (int i : new int[] {2, 0, 3, 1}) {
            Wire.Pending p = wire.inFlight.get(i);
            p.callback().accept(new ProducerPipeline.Outcome.Accepted("0010", true));
        }
        wire.inFlight.subList(0, 4).clear();
        assertThat(wire.inFlight).as("the claim goes alone").hasSize(1);
        List<String> resent = new ArrayList<>();
        while (!wire.inFlight.isEmpty()) {
            Wire.Pending p = wire.inFlight.remove(0);
            resent.add(p.attempt().epoch() + "/" + p.attempt().seq() + " "
                    + new String(p.attempt().batch().items().get(0), StandardCharsets.UTF_8));
            p.callback().accept(new ProducerPipeline.Outcome.Accepted(String.format("%04d", 10 + resent.size()), false));
        }
        assertThat(resent).containsExactly("1/0 m1", "1/1 m2", "1/2 m3", "1/3 m4", "1/4 m5", "1/5 m6");
        assertThat(pipeline.failure()).isNull();
        assertThat(pipeline.awaitIdle(0, TimeUnit.MILLISECONDS)).isTrue();
    }
}
