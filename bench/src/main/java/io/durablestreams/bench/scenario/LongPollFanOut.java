package io.durablestreams.bench.scenario;

import io.durablestreams.bench.MachineLoad;
import io.durablestreams.bench.Results;
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
 * Scenario 5a: 2,000 long-poll readers wait at the tail of one stream; one 100-byte append. Measures
 * the append's acknowledgement latency and the time until the last reader has the data.
 */
public final class LongPollFanOut implements Scenario {
    private static final int RUNS = 5;
    /** Time for every poll to reach the server and park before the append is sent. */
    private static final long SETTLE_MILLIS = 1_500;

    @Override
    public String id() {
        return "s5lp";
    }

    @Override
    public void run(Target target, Results out) throws Exception {
        int waiters = target.scaled(2_000, 20);
        byte[] body = StreamOps.filler(100);
        try (HttpLoadClient client = target.client()) {
            HttpConnection writer = client.connect().join();
            String stream = Target.uniqueName("s5lp");
            StreamOps.create(writer, stream, StreamOps.BINARY);
            String tail = StreamOps.append(writer, stream, body, StreamOps.BINARY);
            List<HttpConnection> readers = client.connectAll(waiters);
            Results.RunSet runs = out.runSet();
            for (int run = -1; run < RUNS; run++) {
                List<CompletableFuture<HttpResult>> polls = new ArrayList<>(waiters);
                for (HttpConnection r : readers) {
                    polls.add(r.get(StreamOps.query(stream, tail, "long-poll"), false));
                }
                Thread.sleep(SETTLE_MILLIS);
                long t0 = System.nanoTime();
                HttpResult ack = StreamOps.require(writer.post(HttpLoadClient.streamPath(stream), body, StreamOps.BINARY).join(), "append");
                long last = 0;
                int delivered = 0;
                for (CompletableFuture<HttpResult> p : polls) {
                    HttpResult r = p.join();
                    if (r.status() == 200 && r.bodyBytes() == body.length) {
                        delivered++;
                    }
                    last = Math.max(last, r.completedNanos());
                }
                tail = ack.header(StreamOps.NEXT_OFFSET);
                double ackMs = (ack.completedNanos() - t0) / 1e6;
                double allMs = (last - t0) / 1e6;
                MachineLoad.log("s5 long-poll run %d: %d/%d waiters received in %.1f ms, append acknowledged in %.2f ms",
                        run, delivered, waiters, allMs, ackMs);
                if (run >= 0) {
                    runs.run(Map.of("s5.longpoll_all_received_ms", allMs, "s5.longpoll_append_ack_ms", ackMs,
                            "s5.longpoll_delivered_fraction", delivered / (double) waiters));
                }
            }
            runs.commit();
            out.note("s5.longpoll_waiters", waiters);
            readers.forEach(HttpConnection::close);
        }
    }
}
