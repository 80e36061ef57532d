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

    /** Whether a value meets its target; {@code comparedWith} is the reference's value (or the file store's). */
    @FunctionalInterface
    private interface Target {
        boolean met(double value, double comparedWith);
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
            new Row("s7.ready_100k_streams_ms", "7. restart, 100,000 streams on disk: ready (ms)", false, "≤ 2,000", (o, r) -> o <= 2_000),
            new Row("s8.wake_p50_ms", "8. append → 100 long-polls woken, p50 (ms)", false, null, null));

    /** The server name of the file store's results, which the PostgreSQL rows are set against. */
    private static final String FILE_STORE = "ours";

    /** A metric of one PostgreSQL configuration, next to the same metric of the file store. */
    private record StoreRow(String server, Row row) {}

    /**
     * {@code postgres}: one node; {@code postgres-2nodes}: two nodes on one database (s2 through
     * nginx; s4 and s8 writing on node A and reading on node B). Targets only where one is set.
     */
    private static final List<StoreRow> POSTGRES_ROWS = List.of(
            new StoreRow("postgres", new Row("s2.64_streams_appends_per_s", "2. 64 connections → 64 streams, one node (appends/s)",
                    true, "≥ 10,000", (v, f) -> v >= 10_000)),
            new StoreRow("postgres-2nodes", new Row("s2.64_streams_appends_per_s",
                    "2. 64 connections → 64 streams, two nodes behind nginx (appends/s)", true, null, null)),
            new StoreRow("postgres", new Row("s2.one_stream_appends_per_s", "2. 64 connections → 1 stream, one node (appends/s)",
                    true, null, null)),
            new StoreRow("postgres-2nodes", new Row("s2.one_stream_appends_per_s",
                    "2. 64 connections → 1 stream, two nodes behind nginx (appends/s)", true, null, null)),
            new StoreRow("postgres", new Row("s4.one_reader_mb_s", "4. catch-up 100 MiB, 1 reader, one node (MB/s)", true, null,
                    null)),
            new StoreRow("postgres-2nodes", new Row("s4.one_reader_mb_s",
                    "4. catch-up 100 MiB, 1 reader on node B, written on node A (MB/s)", true, null, null)),
            new StoreRow("postgres", new Row("s4.four_readers_mb_s", "4. catch-up 100 MiB, 4 readers, one node (MB/s total)",
                    true, null, null)),
            new StoreRow("postgres-2nodes", new Row("s4.four_readers_mb_s",
                    "4. catch-up 100 MiB, 4 readers on node B, written on node A (MB/s total)", true, null, null)),
            new StoreRow("postgres", new Row("s4.four_readers_rss_growth_mib", "4. node RSS growth, 4 readers, one node (MiB)",
                    false, null, null)),
            new StoreRow("postgres", new Row("s4.million_messages_mb_s", "4. 1,000,000-message stream, full read, one node (MB/s)",
                    true, null, null)),
            new StoreRow("postgres-2nodes", new Row("s4.million_messages_mb_s",
                    "4. 1,000,000-message stream, full read on node B, written on node A (MB/s)", true, null, null)),
            new StoreRow("postgres", new Row("s8.wake_p50_ms", "8. append → 100 long-polls woken, one node, p50 (ms)", false,
                    null, null)),
            new StoreRow("postgres-2nodes", new Row("s8.wake_p50_ms",
                    "8. append on node A → 100 long-polls on node B woken, p50 (ms; file store: one node)", false, "≤ 5",
                    (v, f) -> v <= 5)),
            new StoreRow("postgres-2nodes", new Row("s8.wake_p99_ms",
                    "8. append on node A → 100 long-polls on node B woken, p99 (ms; file store: one node)", false, null, null)),
            new StoreRow("postgres-2nodes", new Row("s8.append_ack_p50_ms", "8. that append acknowledged on node A, p50 (ms)",
                    false, null, null)));

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
            line(sb, row, median(merged, "ours", row.key()), median(merged, "reference", row.key()), failed(merged, "ours", row.key()));
        }
        if (POSTGRES_ROWS.stream().anyMatch(r -> median(merged, r.server(), r.row().key()) != null
                || failed(merged, r.server(), r.row().key()))) {
            sb.append("\nPostgreSQL store (`ds serve --store postgres`, one database on this machine; the two-node rows append on "
                    + "one node and read on the other, or go through nginx round robin), next to the file store (`ours` above) "
                    + "in the same run:\n\n");
            sb.append("| scenario | target | PostgreSQL | file store | PostgreSQL vs file store | target met |\n");
            sb.append("|---|---|---:|---:|---:|:---:|\n");
            for (StoreRow r : POSTGRES_ROWS) {
                String key = r.row().key();
                boolean failed = failed(merged, r.server(), key);
                Double value = median(merged, r.server(), key);
                line(sb, r.row(), value, value == null && !failed ? null : median(merged, FILE_STORE, key), failed);
            }
        }
        sb.append("\nPhysical limits measured in the same run:\n\n| limit | value |\n|---|---:|\n");
        for (String[] m : MACHINE) {
            sb.append("| ").append(m[1]).append(" | ").append(format(median(merged, "machine", m[0]))).append(" |\n");
        }
        List<String> notes = new ArrayList<>();
        for (String server : List.of("ours", "reference", "postgres", "postgres-2nodes")) {
            merged.path(server).path("notes").fields()
                    .forEachRemaining(e -> notes.add("- " + server + " `" + e.getKey() + "`: " + e.getValue()));
        }
        if (!notes.isEmpty()) {
            sb.append("\nNotes from the run:\n\n").append(String.join("\n", notes)).append('\n');
        }
        sb.append("\nLoad average at each run is in `bench/results/latest.json` (`metrics.*.loadavg`).\n");
        return sb.toString();
    }

    /**
     * One table row: the measured value (or "failed" when its scenario failed, the error being in
     * the notes), what it is compared with, the ratio and the verdict; nothing if neither was measured.
     */
    private static void line(StringBuilder sb, Row row, Double value, Double comparedWith, boolean failed) {
        if (value == null && comparedWith == null && !failed) {
            return;
        }
        String verdict = value == null && failed && row.target() != null ? "**no**" : verdict(row, value, comparedWith);
        sb.append("| ").append(row.label()).append(" | ").append(row.targetText() == null ? "" : row.targetText())
                .append(" | ").append(value == null && failed ? "failed" : format(value)).append(" | ").append(format(comparedWith))
                .append(" | ").append(ratio(value, comparedWith, row.higherIsBetter())).append(" | ").append(verdict)
                .append(" |\n");
    }

    /**
     * Whether the server noted an error for the metric's scenario or part: {@code s4.error} (the
     * scenario) covers every {@code s4.} metric, {@code s4.one_reader_error} every {@code s4.one_reader_} one.
     */
    private static boolean failed(JsonNode merged, String server, String key) {
        for (Iterator<String> it = merged.path(server).path("notes").fieldNames(); it.hasNext(); ) {
            String note = it.next();
            if ((note.endsWith(".error") || note.endsWith("_error")) && key.startsWith(note.substring(0, note.length() - 5))) {
                return true;
            }
        }
        return false;
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

    /** How many times better the value is than what it is compared with (above 1 = better), whichever direction the metric runs. */
    private static String ratio(Double value, Double comparedWith, boolean higherIsBetter) {
        if (value == null || comparedWith == null || value.isNaN() || comparedWith.isNaN() || value == 0 || comparedWith == 0) {
            return "—";
        }
        double r = higherIsBetter ? value / comparedWith : comparedWith / value;
        return String.format(Locale.ROOT, r < 0.1 ? "%.2f×" : "%.1f×", r);
    }

    private static String verdict(Row row, Double value, Double comparedWith) {
        if (row.target() == null || value == null || value.isNaN()) {
            return "";
        }
        return row.target().met(value, comparedWith == null ? Double.NaN : comparedWith) ? "yes" : "**no**";
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
