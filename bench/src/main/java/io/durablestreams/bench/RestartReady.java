package io.durablestreams.bench;

import io.durablestreams.bench.http.HttpConnection;
import io.durablestreams.bench.http.HttpLoadClient;
import io.durablestreams.bench.http.HttpResult;
import io.durablestreams.store.file.BenchStoreGenerator;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiFunction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 7: a server restarted over a data directory holding many streams; the time from process
 * start until a read of one of those streams answers 200. The directory is populated either over
 * HTTP (works for any server) or, for our file store only, written directly in its on-disk format.
 */
final class RestartReady {
    private static final int RUNS = 3;
    private static final long READY_TIMEOUT_MILLIS = 600_000;
    private static final int CREATE_WINDOW = 64;

    private final String name;
    private final String command;
    private final Path dir;

    RestartReady(String name, String command, Path dir) {
        this.name = name;
        this.command = command;
        this.dir = dir;
    }

    /**
     * Creates {@code streams} empty streams through a running server. They stay empty because the
     * reference server (0.3.7, file-backed) answers many POSTs to streams created concurrently with
     * 404 although a HEAD finds them (seen: 2,959 of 5,000), which would fail the population.
     */
    String populateOverHttp(int streams) throws Exception {
        try (ServerProcess server = ServerProcess.start(command, dir, log())) {
            server.awaitListening(READY_TIMEOUT_MILLIS);
            try (HttpLoadClient client = new HttpLoadClient(URI.create("http://127.0.0.1:" + server.port), 1)) {
                List<HttpConnection> conns = client.connectAll(CREATE_WINDOW);
                forEach(conns, streams, "create", (c, path) -> c.put(path, "application/octet-stream"));
            }
        }
        return "restart-0";
    }

    /** Sends one request per stream, each connection carrying one request at a time; fails on any error. */
    private void forEach(List<HttpConnection> conns, int streams, String what,
            BiFunction<HttpConnection, String, CompletableFuture<HttpResult>> request) throws InterruptedException {
        BlockingQueue<HttpConnection> idle = new LinkedBlockingQueue<>(conns);
        List<CompletableFuture<HttpResult>> all = new ArrayList<>(streams);
        AtomicInteger failures = new AtomicInteger();
        for (int i = 0; i < streams; i++) {
            HttpConnection c = idle.take();
            String path = HttpLoadClient.streamPath("restart-" + i);
            all.add(request.apply(c, path).whenComplete((r, e) -> {
                if ((e != null || !r.ok()) && failures.getAndIncrement() == 0) {
                    MachineLoad.log("restart %s: %s %s failed: %s", name, what, path, e != null ? e : "HTTP " + r.status());
                }
                idle.add(c);
            }));
        }
        all.forEach(f -> f.handle((r, e) -> r).join());
        if (failures.get() > 0) {
            throw new IllegalStateException(what + " failed for " + failures.get() + " of " + streams + " streams");
        }
        MachineLoad.log("restart %s: %s done for %d streams", name, what, streams);
    }

    /** Writes the streams in our file store's on-disk format. */
    String populateOnDisk(int streams, int bytesPerStream) throws Exception {
        BenchStoreGenerator.generate(dir, streams, bytesPerStream);
        return BenchStoreGenerator.streamName(1);
    }

    void measure(String probeStream, String metric, Results out) throws Exception {
        String path = HttpLoadClient.streamPath(probeStream) + "?offset=-1";
        Results.RunSet runs = out.runSet();
        for (int run = -1; run < RUNS; run++) {
            long t0 = System.nanoTime();
            try (ServerProcess server = ServerProcess.start(command, dir, log())) {
                double ms = server.awaitReady(path, t0, READY_TIMEOUT_MILLIS) / 1e6;
                long rss = new Rss(server.pid()).bytes();
                MachineLoad.log("restart %s run %d: ready in %.0f ms (RSS %d MiB)", name, run, ms, rss >> 20);
                if (run >= 0) {
                    runs.run(Map.of(metric, ms));
                }
            }
        }
        runs.commit();
    }

    private Path log() {
        return dir.resolveSibling(dir.getFileName() + ".server.log");
    }

    static long directoryBytes(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
