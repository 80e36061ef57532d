package io.durablestreams.bench.scenario;

import io.durablestreams.bench.MachineLoad;
import io.durablestreams.bench.Results;
import io.durablestreams.bench.Samples;
import io.durablestreams.bench.Scenario;
import io.durablestreams.bench.Target;
import io.durablestreams.bench.http.HttpConnection;
import io.durablestreams.bench.http.HttpLoadClient;
import java.util.Map;

/** Scenario 1: 100-byte appends one after another on one connection; the latency of each. */
public final class SequentialAppends implements Scenario {
    private static final int RUNS = 5;

    @Override
    public String id() {
        return "s1";
    }

    @Override
    public void run(Target target, Results out) throws Exception {
        int appends = target.scaled(2_000, 50);
        byte[] body = StreamOps.filler(100);
        try (HttpLoadClient client = target.client()) {
            HttpConnection c = client.connect().join();
            String stream = Target.uniqueName("s1");
            StreamOps.create(c, stream, StreamOps.BINARY);
            String path = HttpLoadClient.streamPath(stream);
            measure(c, path, body, appends / 2);
            Results.RunSet runs = out.runSet();
            for (int run = 0; run < RUNS; run++) {
                Samples s = measure(c, path, body, appends);
                MachineLoad.log("s1 run %d: %d appends p50 %.3f ms p99 %.3f ms", run, appends,
                        s.percentileMs(50), s.percentileMs(99));
                runs.run(Map.of("s1.append_p50_ms", s.percentileMs(50), "s1.append_p99_ms", s.percentileMs(99)));
            }
            runs.commit();
        }
    }

    private static Samples measure(HttpConnection c, String path, byte[] body, int appends) {
        Samples s = new Samples();
        for (int i = 0; i < appends; i++) {
            long t0 = System.nanoTime();
            StreamOps.require(c.post(path, body, StreamOps.BINARY).join(), "append");
            s.add(System.nanoTime() - t0);
        }
        return s;
    }
}
