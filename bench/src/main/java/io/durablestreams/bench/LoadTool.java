package io.durablestreams.bench;

import io.durablestreams.bench.probe.DiskProbe;
import io.durablestreams.bench.probe.LoopbackProbe;
import io.durablestreams.bench.scenario.CatchUpRead;
import io.durablestreams.bench.scenario.ConcurrentAppends;
import io.durablestreams.bench.scenario.LongPollAcrossNodes;
import io.durablestreams.bench.scenario.LongPollFanOut;
import io.durablestreams.bench.scenario.LongPollRoundTrip;
import io.durablestreams.bench.scenario.ProducerThroughput;
import io.durablestreams.bench.scenario.SequentialAppends;
import io.durablestreams.bench.scenario.SseFanOut;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark load generator, run by {@code scripts/bench.sh} as its own process. Commands:
 *
 * <pre>
 * probe   --dir DIR --out FILE                         raw fdatasync latency and loopback limits
 * run     --name N --url URL --pid PID --out FILE      scenarios 1-6 and 8 against a running server
 *         [--scenarios s1,s2,s3,s4,s5lp,s5sse,s6,s8] [--scale 1.0]
 *         [--url-b URL]                                 a second node of the same cluster (s8 reads there;
 *                                                       default: --url)
 * restart --name N --cmd 'TEMPLATE {port} {dir}' --dir DIR --out FILE --metric NAME
 *         --populate http|disk --streams N [--bytes-per-stream B]      scenario 7
 * report  --results DIR --json FILE --doc FILE --command TEXT [--jmh FILE]   the markdown table
 * </pre>
 */
public final class LoadTool {
    private static final List<Scenario> SCENARIOS = List.of(new SequentialAppends(), new ConcurrentAppends(),
            new ProducerThroughput(), new CatchUpRead(), new LongPollFanOut(), new SseFanOut(), new LongPollRoundTrip(),
            new LongPollAcrossNodes());

    private LoadTool() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: LoadTool probe|run|restart|report --option value ...");
        }
        Map<String, String> opts = options(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "probe" -> probe(opts);
            case "run" -> run(opts);
            case "restart" -> restart(opts);
            case "report" -> Report.write(Path.of(opts.get("results")), Path.of(opts.get("json")), Path.of(opts.get("doc")),
                    opts.get("command"), opts.containsKey("jmh") ? Path.of(opts.get("jmh")) : null);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
        // Netty and the JDK HTTP client leave non-daemon threads behind; the tool is done.
        System.exit(0);
    }

    private static void probe(Map<String, String> opts) throws Exception {
        Results out = new Results("machine", null);
        DiskProbe.run(Path.of(opts.get("dir")), out);
        LoopbackProbe.run(out);
        out.write(Path.of(opts.get("out")));
    }

    private static void run(Map<String, String> opts) throws Exception {
        URI url = URI.create(opts.get("url"));
        Target target = new Target(opts.get("name"), url, opts.containsKey("url-b") ? URI.create(opts.get("url-b")) : url,
                Long.parseLong(opts.get("pid")), Double.parseDouble(opts.getOrDefault("scale", "1")));
        List<String> wanted = Arrays.asList(opts.getOrDefault("scenarios", "s1,s2,s3,s4,s5lp,s5sse,s6,s8").split(","));
        Results out = new Results(target.name(), target.base().toString());
        Path file = Path.of(opts.get("out"));
        for (Scenario s : SCENARIOS) {
            if (!wanted.contains(s.id())) {
                continue;
            }
            MachineLoad.log("=== %s: scenario %s", target.name(), s.id());
            try {
                s.run(target, out);
            } catch (Exception | Error e) {
                // One broken scenario (e.g. a server that fails it) must not hide the others' results.
                MachineLoad.log("scenario %s failed: %s", s.id(), e);
                out.note(s.id() + ".error", String.valueOf(e));
            }
            out.write(file);
        }
    }

    private static void restart(Map<String, String> opts) throws Exception {
        String name = opts.get("name");
        Path dir = Path.of(opts.get("dir"));
        RestartReady restart = new RestartReady(name, opts.get("cmd"), dir);
        int streams = Integer.parseInt(opts.get("streams"));
        Results out = new Results(name, null);
        long t0 = System.nanoTime();
        String probe = opts.get("populate").equals("disk")
                ? restart.populateOnDisk(streams, Integer.parseInt(opts.getOrDefault("bytes-per-stream", "100")))
                : restart.populateOverHttp(streams);
        long bytes = RestartReady.directoryBytes(dir);
        MachineLoad.log("restart %s: %d streams populated (%s) in %.0f s, %d MiB on disk", name, streams,
                opts.get("populate"), (System.nanoTime() - t0) / 1e9, bytes >> 20);
        String metric = opts.get("metric");
        out.note(metric + "_streams", streams);
        out.note(metric + "_data_dir_mib", bytes >> 20);
        restart.measure(probe, metric, out);
        out.write(Path.of(opts.get("out")));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got " + args[i]);
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }
}
