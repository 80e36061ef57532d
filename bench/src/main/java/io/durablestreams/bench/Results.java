package io.durablestreams.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of one server, written as JSON. A metric's unit is the suffix of its name
 * ({@code _ms}, {@code _per_s}, {@code _mb_s}, {@code _mib}, {@code _bytes}, ...), so the report
 * needs no schema.
 */
public final class Results {
    /** The value reported for a metric is the median of its runs. */
    public record Metric(double median, List<Double> runs, List<String> loadavg) {}

    private final Map<String, Object> header = new LinkedHashMap<>();
    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    private final Map<String, Object> notes = new LinkedHashMap<>();

    public Results(String server, String url) {
        header.put("server", server);
        header.put("url", url);
        header.put("cores", Runtime.getRuntime().availableProcessors());
    }

    public synchronized void add(String name, List<Double> runs, List<String> loadavg) {
        double[] values = runs.stream().mapToDouble(Double::doubleValue).toArray();
        metrics.put(name, new Metric(Samples.median(values), List.copyOf(runs), List.copyOf(loadavg)));
        System.out.printf("  => %-40s median %.3f  runs %s%n", name, Samples.median(values), runs);
    }

    public synchronized void add(String name, double single) {
        add(name, List.of(single), List.of(MachineLoad.loadavg()));
    }

    public synchronized void note(String name, Object value) {
        notes.put(name, value);
        System.out.printf("  note %s: %s%n", name, value);
    }

    public synchronized void write(Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>(header);
        root.put("metrics", metrics);
        root.put("notes", notes);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    /** Collects per-run values of several metrics, then records their medians. */
    public final class RunSet {
        private final Map<String, List<Double>> values = new LinkedHashMap<>();
        private final List<String> loads = new ArrayList<>();

        public void run(Map<String, Double> oneRun) {
            loads.add(MachineLoad.loadavg());
            oneRun.forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }

        public void commit() {
            values.forEach((k, v) -> add(k, v, loads));
        }
    }

    public RunSet runSet() {
        return new RunSet();
    }
}
