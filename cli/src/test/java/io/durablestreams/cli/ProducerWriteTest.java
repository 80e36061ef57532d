package io.durablestreams.cli;

import static io.durablestreams.cli.StreamCommandsTest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code ds write --producer-id}: re-running the same write appends nothing twice. */
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
        assertThat(second).isEqualTo(first);
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
        ok(ds.run("write", "batches", "--batch-json", "[1,2,3]", "--producer-id", "b"));

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
