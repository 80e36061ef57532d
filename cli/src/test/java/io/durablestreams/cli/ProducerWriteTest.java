package io.durablestreams.cli;

import static io.durablestreams.cli.StreamCommandsTest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code ds write --producer-id}: re-running the same write appends nothing twice, and says so; with
 * {@code --auto-claim} every run appends its input.
 */
class ProducerWriteTest extends ServerBackedTest {
    @Test
    void sameJsonLinesWrittenTwiceAreAppendedOnce() {
        ok(ds.run("create", "orders", "-t", "application/json"));
        String input = "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n";

        String first = ok(ds.runWithInput(input, "write", "orders", "--producer-id", "etl", "--epoch", "4",
                "--print-offset")).stderr();
        String second = ok(ds.runWithInput(input, "write", "orders", "--producer-id", "etl", "--epoch", "4",
                "--print-offset")).stderr();

        assertThat(ok(ds.run("read", "orders", "--ndjson")).out()).isEqualTo(input);
        assertThat(first).doesNotContain("warning");
        assertThat(second).isEqualTo("ds write: warning: 3 of 3 items were not appended: producer etl epoch 4 had"
                + " already written them in an earlier run (a re-run of the same input appends only what is"
                + " missing; to append new data, use a higher --epoch or --auto-claim)\n" + first);
    }

    @Test
    void aRerunAfterAPartialWriteAppendsTheRestAndCountsWhatWasSkipped() {
        ok(ds.run("create", "resumed", "-t", "application/json"));
        ok(ds.runWithInput("1\n2\n", "write", "resumed", "--producer-id", "loader"));

        String stderr = ok(ds.runWithInput("1\n2\n3\n4\n", "write", "resumed", "--producer-id", "loader")).stderr();

        assertThat(stderr).startsWith("ds write: warning: 2 of 4 items were not appended: producer loader epoch 0");
        assertThat(ok(ds.run("read", "resumed", "--ndjson")).out()).isEqualTo("1\n2\n3\n4\n");
    }

    @Test
    void aSecondWriteWithTheSameProducerIdAndEpochIsNotAppendedAndSaysSo() {
        ok(ds.run("create", "notes", "-t", "application/json"));
        ok(ds.run("write", "notes", "\"first\"", "--producer-id", "p"));

        Cli.Result second = ds.run("write", "notes", "\"second\"", "--producer-id", "p");

        assertThat(second.code()).isEqualTo(ExitCode.OK);
        assertThat(second.stderr()).contains("warning: 1 of 1 items were not appended", "producer p epoch 0");
        assertThat(ok(ds.run("read", "notes", "--ndjson")).out()).isEqualTo("\"first\"\n");
    }

    @Test
    void withAutoClaimEveryRunAppendsItsWholeInput() {
        ok(ds.run("create", "pings", "-t", "application/json"));

        String first = ok(ds.run("write", "pings", "1", "2", "--producer-id", "bot", "--auto-claim")).stderr();
        String second = ok(ds.run("write", "pings", "1", "2", "--producer-id", "bot", "--auto-claim")).stderr();

        assertThat(first + second).isEmpty();
        assertThat(ok(ds.run("read", "pings", "--ndjson")).out()).isEqualTo("1\n2\n1\n2\n");
    }

    @Test
    void sameBinaryInputWrittenTwiceIsAppendedOnce() {
        byte[] data = new byte[50_000];
        new Random(3).nextBytes(data);
        ok(ds.run("create", "blobs"));

        for (int run = 0; run < 2; run++) {
            ok(ds.run(new ByteArrayInputStream(data), "write", "blobs", "--producer-id", "uploader",
                    "--chunk-bytes", "8192"));
        }

        assertThat(ok(ds.run("read", "blobs")).stdout()).isEqualTo(data);
    }

    @Test
    void batchJsonIsDeduplicatedAsAWhole() {
        ok(ds.run("create", "batches", "-t", "application/json"));

        ok(ds.run("write", "batches", "--batch-json", "[1,2,3]", "--producer-id", "b"));
        String stderr = ok(ds.run("write", "batches", "--batch-json", "[1,2,3]", "--producer-id", "b")).stderr();

        assertThat(stderr).contains("warning: 3 of 3 items were not appended");
        assertThat(ok(ds.run("read", "batches", "--ndjson")).out()).isEqualTo("1\n2\n3\n");
    }

    @Test
    void staleEpochIsAConflictUnlessAutoClaimed() {
        ok(ds.run("create", "fenced", "-t", "application/json"));
        ok(ds.run("write", "fenced", "1", "--producer-id", "p", "--epoch", "2"));

        Cli.Result zombie = ds.run("write", "fenced", "2", "--producer-id", "p", "--epoch", "1");
        assertThat(zombie.code()).isEqualTo(ExitCode.CONFLICT);
        assertThat(zombie.stderr()).contains("server epoch is 2");

        ok(ds.run("write", "fenced", "3", "--producer-id", "p", "--epoch", "1", "--auto-claim"));
        assertThat(ok(ds.run("read", "fenced", "--ndjson")).out()).isEqualTo("1\n3\n");
    }
}
