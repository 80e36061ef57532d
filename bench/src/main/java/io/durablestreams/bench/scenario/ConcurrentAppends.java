package io.durablestreams.bench.scenario;

import io.durablestreams.bench.MachineLoad;
import io.durablestreams.bench.Results;
import io.durablestreams.bench.Samples;
import io.durablestreams.bench.Scenario;
import io.durablestreams.bench.Target;
import io.durablestreams.bench.http.HttpConnection;
import io.durablestreams.bench.http.HttpLoadClient;
import io.durablestreams.bench.http.HttpResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 2: 64 connections append 100-byte bodies as fast as acknowledgements come back (each
 * connection sends its next append when the previous one is acknowledged, i.e. closed-loop), to one
 * stream and to 64 streams (one per connection).
 */
public final class ConcurrentAppends implements Scenario {
    private static final int CONNECTIONS = 64;
    private static final int RUNS = 3;

    @Override
    public String id() {
        return "s2";
    }

    @Override
    public void run(Target target, Results out) throws Exception {
        long windowMillis = Math.max(1_000, Math.round(5_000 * target.scale()));
        measure(target, out, "s2.one_stream", 1, windowMillis);
        measure(target, out, "s2.64_streams", CONNECTIONS, windowMillis);
    }

    private void measure(Target target, Results out, String metric, int streams, long windowMillis) throws Exception {
        byte[] body = StreamOps.filler(100);
        try (HttpLoadClient client = target.client()) {
            List<HttpConnection> conns = client.connectAll(CONNECTIONS);
            String prefix = Target.uniqueName("s2");
            for (int i = 0; i < streams; i++) {
                StreamOps.create(conns.get(0), prefix + "-" + i, StreamOps.BINARY);
            }
            Load load = new Load(conns, prefix, streams, body);
            load.start();
            Thread.sleep(windowMillis / 2);
            Results.RunSet runs = out.runSet();
            for (int run = 0; run < RUNS; run++) {
                long acked0 = load.acked.get();
                load.latencies = new Samples();
                long t0 = System.nanoTime();
                Thread.sleep(windowMillis);
                double rate = (load.acked.get() - acked0) / ((System.nanoTime() - t0) / 1e9);
                Samples lat = load.latencies;
                MachineLoad.log("%s run %d: %.0f acknowledged appends/s, p50 %.2f ms p99 %.2f ms, errors %d",
                        metric, run, rate, lat.percentileMs(50), lat.percentileMs(99), load.errors.get());
                runs.run(Map.of(metric + "_appends_per_s", rate, metric + "_p99_ms", lat.percentileMs(99)));
            }
            load.stop();
            runs.commit();
            if (load.errors.get() > 0) {
                out.note(metric + "_errors", load.errors.get());
            }
        }
    }

    /** The closed loop: every connection re-sends as soon as its previous append is answered. */
    private static final class Load {
        final AtomicLong acked = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        volatile Samples latencies = new Samples();
        private volatile boolean running = true;
        private final List<HttpConnection> conns;
        private final String prefix;
        private final int streams;
        private final byte[] body;
        private final CountDownLatch stopped;

        Load(List<HttpConnection> conns, String prefix, int streams, byte[] body) {
            this.conns = conns;
            this.prefix = prefix;
            this.streams = streams;
            this.body = body;
            this.stopped = new CountDownLatch(conns.size());
        }

        void start() {
            for (int i = 0; i < conns.size(); i++) {
                loop(conns.get(i), HttpLoadClient.streamPath(prefix + "-" + (i % streams)));
            }
        }

        private void loop(HttpConnection c, String path) {
            if (!running) {
                stopped.countDown();
                return;
            }
            long t0 = System.nanoTime();
            c.post(path, body, StreamOps.BINARY).whenComplete((HttpResult r, Throwable e) -> {
                if (e == null && r.ok()) {
                    acked.incrementAndGet();
                    latencies.add(r.completedNanos() - t0);
                } else {
                    errors.incrementAndGet();
                }
                if (e == null) {
                    loop(c, path);
                } else {
                    stopped.countDown();
                }
            });
        }

        void stop() throws InterruptedException {
            running = false;
            stopped.await();
        }
    }
}
