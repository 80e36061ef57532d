package io.durablestreams.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @TempDir
    Path dir;

    @Test
    void postgresRowsStandNextToTheFileStoreWithTheirTargets() throws IOException {
        Results file = new Results("ours", "http://127.0.0.1:1");
        file.add("s2.64_streams_appends_per_s", List.of(40_000.0, 42_000.0, 44_000.0), List.of("", "", ""));
        file.add("s8.wake_p50_ms", 2.5);
        file.write(dir.resolve("ours.json"));
        Results pg = new Results("postgres", "http://127.0.0.1:2");
        pg.add("s2.64_streams_appends_per_s", List.of(19_000.0, 21_000.0, 20_000.0), List.of("", "", ""));
        pg.write(dir.resolve("postgres.json"));
        Results cluster = new Results("postgres-2nodes", "http://127.0.0.1:3");
        cluster.add("s8.wake_p50_ms", 7.5);
        cluster.write(dir.resolve("postgres-2nodes-across.json"));

        String table = report();

        assertThat(table).contains("| 2. 64 connections → 64 streams, one node (appends/s) | ≥ 10,000 | 20,000 | 42,000 | 0.5× | yes |");
        assertThat(table).contains("| 8. append on node A → 100 long-polls on node B woken, p50 (ms; file store: one node) | ≤ 5 | 7.50 "
                + "| 2.50 | 0.3× | **no** |");
        assertThat(table).doesNotContain("two nodes behind nginx (appends/s)");
    }

    @Test
    void aFailedPartSaysSoAndMissesItsTargetWhileTheOtherPartsKeepTheirFigures() throws IOException {
        Results file = new Results("ours", "http://127.0.0.1:1");
        file.add("s4.one_reader_mb_s", 900);
        file.add("s4.four_readers_mb_s", 1_500);
        file.write(dir.resolve("ours.json"));
        Results pg = new Results("postgres", "http://127.0.0.1:2");
        pg.note("s4.one_reader_error", "read at offset -1 after 0 bytes: HTTP 503");
        pg.add("s4.four_readers_mb_s", 600);
        pg.note("s2.error", "java.lang.IllegalStateException: create failed");
        pg.write(dir.resolve("postgres.json"));

        String table = report();

        assertThat(table).contains("| 4. catch-up 100 MiB, 1 reader, one node (MB/s) |  | failed | 900.0 | — |  |");
        assertThat(table).contains("| 4. catch-up 100 MiB, 4 readers, one node (MB/s total) |  | 600.0 | 1,500 | 0.4× |  |");
        assertThat(table).contains("| 2. 64 connections → 64 streams, one node (appends/s) | ≥ 10,000 | failed | — | — | **no** |");
    }

    @Test
    void withoutPostgresResultsThereIsNoPostgresTableAndTheTextAroundTheMarkersStays() throws IOException {
        Results file = new Results("ours", "http://127.0.0.1:1");
        file.add("s1.append_p50_ms", 0.2);
        file.write(dir.resolve("ours.json"));
        Path doc = dir.resolve("benchmarks.md");
        Files.writeString(doc, "# Benchmarks\n\nbefore\n\n" + Report.BEGIN + "\nold table\n" + Report.END + "\n\nafter\n");

        Report.write(dir, dir.resolve("latest.json"), doc, "scripts/bench.sh", null);

        String text = Files.readString(doc);
        assertThat(text).startsWith("# Benchmarks\n\nbefore\n\n" + Report.BEGIN).endsWith(Report.END + "\n\nafter\n");
        assertThat(text).contains("| 1. sequential 100 B appends, p50 (ms) | ≤ ¼ reference | 0.200 | — | — |")
                .doesNotContain("old table").doesNotContain("PostgreSQL store");
    }

    /** Writes the report of the results in {@link #dir} into a fresh doc and returns the doc. */
    private String report() throws IOException {
        Path doc = dir.resolve("benchmarks.md");
        Report.write(dir, dir.resolve("latest.json"), doc, "scripts/bench.sh", null);
        return Files.readString(doc);
    }
}
