package io.durablestreams.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Merges the JSON of one bench run (machine probes, each server's scenarios and restarts) into one
 * file and writes the comparison table into {@code docs/benchmarks.md} between two markers, so the
 * hand-written analysis around it survives re-runs.
 */
final class Report {
    static final String BEGIN = "<!-- bench:table:begin (written by scripts/bench.sh) -->";
    static final String END = "<!-- bench:table:end -->";

    /** How to judge a metric; {@code target} is null for context rows. */
    private record Row(String key, String label, boolean higherIsBetter, String targetText, Target target) {}

    @FunctionalInterface
    private interface Target {
        boolean met(double ours, double reference);
    }

    private static final List<Row> ROWS = List.of(
            new Row("s1.append_p50_ms", "1. sequential 100 B appends, p50 (ms)", false, "≤ ¼ reference", (o, r) -> o <= r / 4),
            new Row("s1.append_p99_ms", "1. sequential 100 B appends, p99 (ms)", false, null, null),
            new Row("s2.one_stream_appends_per_s", "2. 64 connections → 1 stream (appends/s)", true,
                    "≥ 20,000 and ≥ 15× reference", (o, r) -> o >= 20_000 && o >= 15 * r),
            new Row("s2.64_streams_appends_per_s", "2. 64 connections → 64 streams (appends/s)", true,
                    "≥ 20,000 and ≥ 15× reference", (o, r) -> o >= 20_000 && o >= 15 * r),
            new Row("s3.json_messages_per_s", "3. producer, JSON (messages/s)", true, "≥ 200,000", (o, r) -> o >= 200_000),
            new Row("s3.binary_messages_per_s", "3. producer, binary (messages/s)", true, "≥ 500,000", (o, r) -> o >= 500_000),
            new Row("s4.one_reader_mb_s", "4. catch-up 100 MiB, 1 reader (MB/s)", true, "≥ 1,000", (o, r) -> o >= 1_000),
            new Row("s4.four_readers_mb_s", "4. catch-up 100 MiB, 4 readers (MB/s total)", true, null, null),
            new Row("s4.four_readers_rss_growth_mib", "4. server RSS growth, 4 readers (MiB)", false, "≤ 64", (o, r) -> o <= 64),
            new Row("s4.million_messages_mb_s", "4. 1,000,000-message stream, full read (MB/s)", true, "≥ 200, completes",
                    (o, r) -> o >= 200),
            new Row("s4.million_messages_completed", "4. 1,000,000-message read completed (1 = yes)", true, "= 1", (o, r) -> o == 1),
            new Row("s5.longpoll_all_received_ms", "5. 2,000 long-polls, append → all received (ms)", false, "≤ 50", (o, r) -> o <= 50),
            new Row("s5.longpoll_append_ack_ms", "5. 2,000 long-polls, append acknowledged (ms)", false, "≤ 5", (o, r) -> o <= 5),
            new Row("s5.sse_readers", "5. SSE readers held", true, "10,000", (o, r) -> o >= 10_000),
            new Row("s5.sse_server_bytes_per_reader", "5. SSE server memory per reader (bytes)", false, "≤ 8,192", (o, r) -> o <= 8_192),
            new Row("s5.sse_delivery_p99_ms", "5. SSE append → all delivered, p99 (ms)", false, "≤ 250", (o, r) -> o <= 250),
            new Row("s5.sse_delivered_fraction", "5. SSE deliveries received (fraction)", true, null, null),
            new Row("s6.roundtrip_p50_ms", "6. append → long-poll receive, p50 (ms)", false, "≤ 1", (o, r) -> o <= 1),
            new Row("s7.ready_http_streams_ms", "7. restart, streams created over HTTP: ready (ms)", false, null, null),
            new Row("s7.ready_100k_streams_ms", "7. restart, 100,000 streams on disk: ready (ms)", false, "≤ 2,000", (o, r) -> o <= 2_000));

    private static final List<String[]> MACHINE = List.of(
            new String[] {"disk.fdatasync_p50_ms", "raw 100 B append + fdatasync, p50 (ms)"},
            new String[] {"disk.fdatasync_p99_ms", "raw 100 B append + fdatasync, p99 (ms)"},
            new String[] {"disk.fdatasync_prealloc_p50_ms", "raw 100 B write + fdatasync in a preallocated file (our journal's per-append floor), p50 (ms)"},
            new String[] {"disk.fdatasync_prealloc_p99_ms", "raw 100 B write + fdatasync in a preallocated file, p99 (ms)"},
            new String[] {"loopback.tcp_rtt_p50_ms", "loopback TCP 1-byte round trip, p50 (ms)"},
            new String[] {"loopback.tcp_mb_s", "loopback TCP, one connection (MB/s)"});

    private Report() {}

    static void write(Path resultsDir, Path jsonOut, Path doc, String command, Path jmh) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode merged = mapper.createObjectNode();
        merged.put("generated", now());
        merged.put("command", command);
        try (Stream<Path> files = Files.list(resultsDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode n = mapper.readTree(f.toFile());
                ObjectNode server = merged.has(n.get("server").asText()) ? (ObjectNode) merged.get(n.get("server").asText())
                        : merged.putObject(n.get("server").asText());
                mergeInto(server, "metrics", n);
                mergeInto(server, "notes", n);
            }
        }
        mapper.writeValue(jsonOut.toFile(), merged);
        String table = table(merged, command) + (jmh != null && Files.exists(jmh) ? jmhTable(mapper.readTree(jmh.toFile())) : "");
        String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n";
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b < 0 || e < b) {
            text = text + "\n" + BEGIN + "\n" + END + "\n";
            b = text.indexOf(BEGIN);
            e = text.indexOf(END);
        }
        Files.writeString(doc, text.substring(0, b + BEGIN.length()) + "\n" + table + text.substring(e));
        System.out.println(table);
    }

    /** JMH's JSON result file as a table: one row per benchmark and parameter set. */
    private static String jmhTable(JsonNode results) {
        StringBuilder sb = new StringBuilder("\nJMH micro-benchmarks (one fork, 3×1 s warm-up, 5×1 s measurement):\n\n");
        sb.append("| benchmark | params | score | error (99.9%) | unit |\n|---|---|---:|---:|---|\n");
        for (JsonNode r : results) {
            String name = r.get("benchmark").asText();
            List<String> params = new ArrayList<>();
            r.path("params").fields().forEachRemaining(e -> params.add(e.getKey() + "=" + e.getValue().asText()));
            JsonNode m = r.get("primaryMetric");
            sb.append("| ").append(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1)).append(" | ")
                    .append(String.join(", ", params)).append(" | ").append(format(m.get("score").asDouble())).append(" | ")
                    .append(format(m.get("scoreError").asDouble())).append(" | ").append(m.get("scoreUnit").asText()).append(" |\n");
        }
        return sb.toString();
    }

    private static void mergeInto(ObjectNode server, String field, JsonNode from) {
        ObjectNode target = server.has(field) ? (ObjectNode) server.get(field) : server.putObject(field);
        for (Iterator<Map.Entry<String, JsonNode>> it = from.path(field).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            target.set(e.getKey(), e.getValue());
        }
    }

    private static String table(JsonNode merged, String command) {
        StringBuilder sb = new StringBuilder();
        sb.append("Run of ").append(merged.get("generated").asText()).append(" on ").append(machine()).append(".\n\n");
        sb.append("Reproduce: `").append(command).append("`\n\n");
        sb.append("| scenario | target | ours | reference | ours vs reference | target met |\n");
        sb.append("|---|---|---:|---:|---:|:---:|\n");
        for (Row row : ROWS) {
            Double ours = median(merged, "ours", row.key());
            Double ref = median(merged, "reference", row.key());
            if (ours == null && ref == null) {
                continue;
            }
            sb.append("| ").append(row.label()).append(" | ").append(row.targetText() == null ? "" : row.targetText())
                    .append(" | ").append(format(ours)).append(" | ").append(format(ref)).append(" | ")
                    .append(ratio(ours, ref, row.higherIsBetter())).append(" | ").append(verdict(row, ours, ref)).append(" |\n");
        }
        sb.append("\nPhysical limits measured in the same run:\n\n| limit | value |\n|---|---:|\n");
        for (String[] m : MACHINE) {
            sb.append("| ").append(m[1]).append(" | ").append(format(median(merged, "machine", m[0]))).append(" |\n");
        }
        List<String> notes = new ArrayList<>();
        for (String server : List.of("ours", "reference")) {
            merged.path(server).path("notes").fields()
                    .forEachRemaining(e -> notes.add("- " + server + " `" + e.getKey() + "`: " + e.getValue()));
        }
        if (!notes.isEmpty()) {
            sb.append("\nNotes from the run:\n\n").append(String.join("\n", notes)).append('\n');
        }
        sb.append("\nLoad average at each run is in `bench/results/latest.json` (`metrics.*.loadavg`).\n");
        return sb.toString();
    }

    private static Double median(JsonNode merged, String server, String key) {
        JsonNode m = merged.path(server).path("metrics").path(key).path("median");
        return m.isNumber() ? m.asDouble() : null;
    }

    private static String format(Double v) {
        if (v == null) {
            return "—";
        }
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        String pattern = a >= 1000 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, v);
    }

    /** How many times better ours is (above 1 = ours better), whichever direction the metric runs. */
    private static String ratio(Double ours, Double ref, boolean higherIsBetter) {
        if (ours == null || ref == null || ours.isNaN() || ref.isNaN() || ours == 0 || ref == 0) {
            return "—";
        }
        double r = higherIsBetter ? ours / ref : ref / ours;
        return String.format(Locale.ROOT, "%.1f×", r);
    }

    private static String verdict(Row row, Double ours, Double ref) {
        if (row.target() == null || ours == null || ours.isNaN()) {
            return "";
        }
        return row.target().met(ours, ref == null ? Double.NaN : ref) ? "yes" : "**no**";
    }

    private static String machine() {
        String cpu = "unknown CPU";
        long memKib = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
            memKib = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
        } catch (IOException e) {
            // Only decoration for the report header.
        }
        return String.format(Locale.ROOT, "%s, %d cores, %d GiB RAM, Linux %s, Java %s", cpu,
                Runtime.getRuntime().availableProcessors(), memKib >> 20, System.getProperty("os.version"),
                System.getProperty("java.version"));
    }

    private static String now() {
        return OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
