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

        ModelServer(long fencedAtEpoch) {
            if (fencedAtEpoch >= 0) {
                known = true;
                epoch = fencedAtEpoch;
                lastSeq = 0;
                log.add("other");
            }
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

        void deliverAll(ModelServer server, Random random) {
            while (!inFlight.isEmpty()) {
                Pending p = inFlight.remove(random.nextInt(inFlight.size()));
                p.callback().accept(server.handle(p.attempt()));
            }
        }
    }

    private static Batch item(String s) {
        return new Batch(List.of(s.getBytes(StandardCharsets.UTF_8)), false);
    }

    @Property(tries = 300)
    void everyItemLandsExactlyOnceInOrderWhateverTheArrivalOrder(@ForAll @IntRange(min = 1, max = 40) int count,
                                                                   @ForAll @IntRange(min = 1, max = 6) int maxInFlight,
                                                                   @ForAll @IntRange(min = 1, max = 4) int fencedAt,
                                                                   @ForAll boolean autoClaim,
                                                                   @ForAll Random random) throws Exception {
        // Another instance of the same producer id holds epoch fencedAt (0 = nobody: the producer is new).
        ModelServer server = new ModelServer(autoClaim && fencedAt > 0 ? fencedAt : -1);
        Wire wire = new Wire();
        ProducerPipeline pipeline = new ProducerPipeline(wire, 0, autoClaim, maxInFlight, null);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add("m" + i);
            pipeline.enqueue(item("m" + i), false);
            if (random.nextInt(3) == 0) {
                pipeline.pump();
                if (!wire.inFlight.isEmpty() && random.nextBoolean()) {
                    Wire.Pending p = wire.inFlight.remove(random.nextInt(wire.inFlight.size()));
                    p.callback().accept(server.handle(p.attempt()));
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
        ProducerPipeline pipeline = new ProducerPipeline(wire, 0, true, 5, null);
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
        ProducerPipeline pipeline = new ProducerPipeline(wire, 3, false, 5, null);
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
        ProducerPipeline pipeline = new ProducerPipeline(wire, 0, false, 5, null);
        pipeline.enqueue(item("a"), false);
        pipeline.enqueue(item("b"), false);
        pipeline.pump();
        Wire.Pending first = wire.inFlight.get(0);
        Wire.Pending second = wire.inFlight.get(1);
        second.callback().accept(new ProducerPipeline.Outcome.Accepted("0002", false));
        first.callback().accept(new ProducerPipeline.Outcome.Accepted("0001", false));
        assertThat(pipeline.lastOffset()).isEqualTo("0002");
    }

    @Test
    void pendingBytesBlockUntilAcknowledgedOrFailed() throws InterruptedException {
        List<Runnable> unanswered = new ArrayList<>();
        ProducerPipeline.BatchSender wire = (attempt, onOutcome) -> unanswered.add(
                () -> onOutcome.accept(new ProducerPipeline.Outcome.Accepted(String.valueOf(attempt.seq()), false)));
        ProducerPipeline pipeline = new ProducerPipeline(wire, 0, false, 2, null);
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
        ProducerPipeline failed = new ProducerPipeline(failing, 0, false, 1, null);
        for (int i = 0; i < 5; i++) {
            failed.enqueue(new Batch(List.of("0123456789".getBytes(StandardCharsets.UTF_8)), false), false);
        }
        failed.pump();
        assertThat(failed.awaitPendingBelow(1, 0, TimeUnit.MILLISECONDS)).as("a failed producer never blocks").isTrue();
    }
}
