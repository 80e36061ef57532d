package io.durablestreams.bench.scenario;

import io.durablestreams.bench.MachineLoad;
import io.durablestreams.bench.Results;
import io.durablestreams.bench.Samples;
import io.durablestreams.bench.Scenario;
import io.durablestreams.bench.Target;
import io.durablestreams.bench.http.HttpConnection;
import io.durablestreams.bench.http.HttpLoadClient;
import io.durablestreams.bench.http.HttpResult;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Scenario 6: one reader long-polls at the tail, a writer appends 100 bytes; the time from sending
 * the append until the reader has it (which includes the append becoming durable).
 */
public final class LongPollRoundTrip implements Scenario {
    private static final int RUNS = 3;
    /** Lets the poll park on the server before the append; a poll that arrives late still measures the same path. */
    private static final long PARK_MILLIS = 2;

    @Override
    public String id() {
        return "s6";
    }

    @Override
    public void run(Target target, Results out) throws Exception {
        int rounds = target.scaled(500, 20);
        byte[] body = StreamOps.filler(100);
        try (HttpLoadClient client = target.client()) {
            HttpConnection writer = client.connect().join();
            HttpConnection reader = client.connect().join();
            String stream = Target.uniqueName("s6");
            StreamOps.create(writer, stream, StreamOps.BINARY);
            String[] tail = {StreamOps.append(writer, stream, body, StreamOps.BINARY)};
            measure(writer, reader, stream, tail, body, rounds / 5);
            Results.RunSet runs = out.runSet();
            for (int run = 0; run < RUNS; run++) {
                Samples s = measure(writer, reader, stream, tail, body, rounds);
                MachineLoad.log("s6 run %d: %d round trips p50 %.3f ms p99 %.3f ms", run, rounds, s.percentileMs(50),
                        s.percentileMs(99));
                runs.run(Map.of("s6.roundtrip_p50_ms", s.percentileMs(50), "s6.roundtrip_p99_ms", s.percentileMs(99)));
            }
            runs.commit();
        }
    }

    private static Samples measure(HttpConnection writer, HttpConnection reader, String stream, String[] tail,
            byte[] body, int rounds) throws InterruptedException {
        Samples s = new Samples();
        String path = HttpLoadClient.streamPath(stream);
        for (int i = 0; i < rounds; i++) {
            CompletableFuture<HttpResult> poll = reader.get(StreamOps.query(stream, tail[0], "long-poll"), false);
            Thread.sleep(PARK_MILLIS);
            long t0 = System.nanoTime();
            HttpResult ack = StreamOps.require(writer.post(path, body, StreamOps.BINARY).join(), "append");
            HttpResult got = StreamOps.require(poll.join(), "long-poll");
            if (got.bodyBytes() != body.length) {
                throw new IllegalStateException("long-poll returned " + got.bodyBytes() + " bytes");
            }
            s.add(got.completedNanos() - t0);
            tail[0] = ack.header(StreamOps.NEXT_OFFSET);
        }
        return s;
    }
}
