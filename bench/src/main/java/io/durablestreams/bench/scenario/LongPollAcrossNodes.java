package io.durablestreams.bench.scenario;

import io.durablestreams.bench.MachineLoad;
import io.durablestreams.bench.Results;
import io.durablestreams.bench.Samples;
import io.durablestreams.bench.Scenario;
import io.durablestreams.bench.Target;
import io.durablestreams.bench.http.HttpConnection;
import io.durablestreams.bench.http.HttpLoadClient;
import io.durablestreams.bench.http.HttpResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Scenario 8: 100 readers long-poll at the tail of a stream on node B, a writer appends 100 bytes
 * on node A; the time from sending the append until each reader has the data, over many rounds.
 * Across nodes this is the commit, the database's notification to B, B's reload of the stream and
 * the wake-up of its readers; with A = B (one process) it is the same-node path, for comparison.
 */
public final class LongPollAcrossNodes implements Scenario {
    static final int READERS = 100;
    private static final int RUNS = 3;
    /**
     * Time for every poll to reach node B and park before the append is sent. A shared store loads
     * the stream from the database first (well under a millisecond each); a poll that parks late
     * is answered from that load instead of the wake-up and would flatter the figures.
     */
    private static final long SETTLE_MILLIS = 50;

    @Override
    public String id() {
        return "s8";
    }

    @Override
    public void run(Target target, Results out) throws Exception {
        int rounds = target.scaled(100, 10);
        byte[] body = StreamOps.filler(100);
        try (HttpLoadClient nodeA = target.client(); HttpLoadClient nodeB = target.clientOfNodeB()) {
            HttpConnection writer = nodeA.connect().join();
            List<HttpConnection> readers = nodeB.connectAll(READERS);
            String stream = Target.uniqueName("s8");
            StreamOps.create(writer, stream, StreamOps.BINARY);
            String[] tail = {StreamOps.append(writer, stream, body, StreamOps.BINARY)};
            measure(writer, readers, stream, tail, body, Math.max(2, rounds / 5));
            Results.RunSet runs = out.runSet();
            for (int run = 0; run < RUNS; run++) {
                Round r = measure(writer, readers, stream, tail, body, rounds);
                MachineLoad.log("s8 run %d: %d rounds x %d readers, woken p50 %.3f ms p99 %.3f ms, append ack p50 %.3f ms, "
                                + "%d not woken", run, rounds, READERS, r.woken.percentileMs(50), r.woken.percentileMs(99),
                        r.acks.percentileMs(50), r.missed);
                runs.run(Map.of("s8.wake_p50_ms", r.woken.percentileMs(50), "s8.wake_p99_ms", r.woken.percentileMs(99),
                        "s8.append_ack_p50_ms", r.acks.percentileMs(50),
                        "s8.woken_fraction", r.woken.size() / (double) (rounds * READERS)));
            }
            runs.commit();
            out.note("s8.readers", READERS);
            out.note("s8.nodes", target.base().equals(target.nodeB()) ? "one (A = B)" : target.base() + " -> " + target.nodeB());
            readers.forEach(HttpConnection::close);
        }
    }

    /** Latencies of the readers' wake-ups and of the writer's acknowledgements; polls answered without the append. */
    private record Round(Samples woken, Samples acks, int missed) {}

    private static Round measure(HttpConnection writer, List<HttpConnection> readers, String stream, String[] tail,
            byte[] body, int rounds) throws InterruptedException {
        Samples woken = new Samples();
        Samples acks = new Samples();
        int missed = 0;
        String path = HttpLoadClient.streamPath(stream);
        for (int i = 0; i < rounds; i++) {
            List<CompletableFuture<HttpResult>> polls = new ArrayList<>(readers.size());
            for (HttpConnection r : readers) {
                polls.add(r.get(StreamOps.query(stream, tail[0], "long-poll"), false));
            }
            Thread.sleep(SETTLE_MILLIS);
            long t0 = System.nanoTime();
            HttpResult ack = StreamOps.require(writer.post(path, body, StreamOps.BINARY).join(), "append");
            acks.add(ack.completedNanos() - t0);
            for (CompletableFuture<HttpResult> p : polls) {
                HttpResult got = p.join();
                if (got.status() == 200 && got.bodyBytes() == body.length) {
                    woken.add(got.completedNanos() - t0);
                } else {
                    missed++;
                }
            }
            tail[0] = ack.header(StreamOps.NEXT_OFFSET);
        }
        return new Round(woken, acks, missed);
    }
}
