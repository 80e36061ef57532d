package io.durablestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablestreams.client.AppendOptions;
import io.durablestreams.client.Chunk;
import io.durablestreams.client.CloseableIterator;
import io.durablestreams.client.CreateOptions;
import io.durablestreams.client.DurableStream;
import io.durablestreams.client.DurableStreamsClient;
import io.durablestreams.client.OffsetGoneException;
import io.durablestreams.client.ReadOptions;
import io.durablestreams.client.ReadResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retention (docs/extensions/retention.md) through the client and {@code ds create/write}, against a real server. */
class RetentionClientTest extends ServerBackedTest {
    private DurableStream stream(String name, boolean restartable) {
        DurableStream s = DurableStreamsClient.create().stream(server.url() + "/v1/stream/" + name, "text/plain");
        s.create(CreateOptions.newBuilder().contentType("text/plain").restartable(restartable).retentionBytes(1_000_000).build());
        return s;
    }

    @Test
    void aReclaimedOffsetNamesTheEarliestOffsetAndAReaderMayContinueThere() {
        DurableStream s = stream("gone", false);
        String start = s.head().nextOffset();
        s.append("a");
        String beforeSnapshot = s.append("b").nextOffset();
        s.append("S".getBytes(StandardCharsets.UTF_8), AppendOptions.newBuilder().snapshot(true).build());
        s.append("c");
        assertThat(s.head().earliestOffset()).isEqualTo(beforeSnapshot);
        assertThat(s.head().retentionBytes()).isEqualTo(1_000_000L);
        assertThatThrownBy(() -> s.read(ReadOptions.newBuilder().offset(start).build()).readAllText())
                .isInstanceOfSatisfying(OffsetGoneException.class, e -> {
                    assertThat(e.reclaimed()).isTrue();
                    assertThat(e.restartable()).isFalse();
                    assertThat(e.earliestOffset()).isEqualTo(beforeSnapshot);
                });
        OffsetGoneException gone = null;
        try {
            s.read(ReadOptions.newBuilder().offset(start).build()).readAllText();
        } catch (OffsetGoneException e) {
            gone = e;
        }
        assertThat(s.read(ReadOptions.newBuilder().offset(gone.earliestOffset()).build()).readAllText()).isEqualTo("Sc");
        assertThat(s.read().readAllText()).isEqualTo("Sc");
    }

    @Test
    void aReaderOfARestartableStreamContinuesAtTheEarliestOffsetAfterAResetMarker() throws Exception {
        DurableStream s = stream("restart", true);
        String start = s.head().nextOffset();
        s.append("a");
        s.append("S".getBytes(StandardCharsets.UTF_8), AppendOptions.newBuilder().snapshot(true).build());
        s.append("c");
        List<String> seen = new ArrayList<>();
        try (ReadResponse r = s.read(ReadOptions.newBuilder().offset(start).build());
             CloseableIterator<Chunk> chunks = r.chunks()) {
            while (chunks.hasNext()) {
                Chunk c = chunks.next();
                seen.add(c.reset() ? "<reset>" : new String(c.data(), StandardCharsets.UTF_8));
            }
        }
        assertThat(String.join("", seen)).isEqualTo("<reset>Sc");
        assertThat(s.read(ReadOptions.newBuilder().offset(start).build()).readAllText()).isEqualTo("Sc");
    }

    @Test
    void createWithRetentionAndWriteASnapshotFromTheCli() {
        StreamCommandsTest.ok(ds.run("create", "cli-ret", "-t", "text/plain", "--retention-age", "7d", "--retention-bytes", "4096"));
        StreamCommandsTest.ok(ds.run("write", "cli-ret", "old"));
        StreamCommandsTest.ok(ds.run("write", "cli-ret", "SNAP", "--snapshot"));
        StreamCommandsTest.ok(ds.run("write", "cli-ret", "+1"));
        assertThat(StreamCommandsTest.ok(ds.run("read", "cli-ret")).out()).isEqualTo("SNAP+1");
        DurableStream s = DurableStreamsClient.create().stream(server.url() + "/v1/stream/cli-ret", "text/plain");
        assertThat(s.head().retentionAgeSeconds()).isEqualTo(7 * 86_400L);
        assertThat(ds.run("write", "cli-ret", "x", "--snapshot", "--producer-id", "p").code()).isEqualTo(1);
    }
}
