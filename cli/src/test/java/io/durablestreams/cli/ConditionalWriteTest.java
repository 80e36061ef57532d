package io.durablestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablestreams.client.AppendOptions;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamsClient;
import io.durablestreams.client.TailMovedException;
import org.junit.jupiter.api.Test;

/** Conditional appends (docs/extensions/conditional-appends.md) through the client and {@code ds write --if-tail}. */
class ConditionalWriteTest extends ServerBackedTest {
    @Test
    void theClientAppendsAndClosesOnlyAtTheTailItNames() {
        DurableStream stream = DurableStreamsClient.create().stream(server.url() + "/v1/stream/cas", "text/plain");
        String empty = stream.create().nextOffset();
        String afterA = stream.append("a", AppendOptions.newBuilder().ifTailAt(empty).build()).nextOffset();

        assertThatThrownBy(() -> stream.append("b", AppendOptions.newBuilder().ifTailAt(empty).build()))
                .isInstanceOfSatisfying(TailMovedException.class, e -> {
                    assertThat(e.currentTail()).isEqualTo(afterA);
                    assertThat(e.status()).isEqualTo(412);
                });
        assertThatThrownBy(() -> stream.close(null, empty)).isInstanceOf(TailMovedException.class);
        assertThat(stream.head().closed()).isFalse();
        assertThat(stream.close(null, afterA).closed()).isTrue();
        assertThat(stream.read().readAllText()).isEqualTo("a");
    }

    @Test
    void writeIfTailLandsAfterTheGivenTailOrFailsWithExitCode3() {
        StreamCommandsTest.ok(ds.run("create", "ledger", "-t", "text/plain"));
        String tail = StreamCommandsTest.lastLine(StreamCommandsTest.ok(ds.run("write", "ledger", "one ", "--print-offset")).stderr());
        StreamCommandsTest.ok(ds.run("write", "ledger", "two", "--if-tail", tail));

        Cli.Result stale = ds.run("write", "ledger", "three", "--if-tail", tail);
        assertThat(stale.code()).isEqualTo(3);
        assertThat(stale.stderr()).contains("moved");
        assertThat(ds.run("write", "ledger", "x", "--if-tail", tail, "--producer-id", "p").code()).isEqualTo(1);
        assertThat(StreamCommandsTest.ok(ds.run("read", "ledger")).out()).isEqualTo("one two");
    }
}
