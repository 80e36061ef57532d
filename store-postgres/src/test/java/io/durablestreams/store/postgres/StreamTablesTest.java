package io.durablestreams.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.store.ProducerTuple;
import io.durablestreams.engine.store.StreamDescriptor;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StreamTablesTest {
    private static PostgresDatabase db;

    @BeforeAll
    static void open() {
        db = PostgresDatabase.open(PostgresConfig.of(TestPostgres.freshDatabase()));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static StreamDescriptor descriptor(Connection c, String name, String contentType) throws Exception {
        return new StreamDescriptor(name, StreamTables.nextIncarnation(c), contentType, 60L, null, 60L, null, 1000L,
                null, 0, 0, null, 0, false, null, null, 0, -1);
    }

    @Test
    void aStreamRoundTripsWithItsWriterStateChunksAndProducers() throws Exception {
        try (Connection c = db.connection()) {
            StreamDescriptor d = descriptor(c, "chat/é 1", "application/json");
            assertThat(StreamTables.insert(c, d, 0, false, 5000L)).isTrue();
            assertThat(StreamTables.insert(c, descriptor(c, "chat/é 1", "text/plain"), 0, false, 5000L)).isFalse();

            c.setAutoCommit(false);
            StreamRow locked = StreamTables.lock(c, Set.of("chat/é 1", "absent")).get("chat/é 1");
            assertThat(locked.descriptor()).isEqualTo(d);
            byte[] data = "{\"a\":1},{\"b\":2},".getBytes(StandardCharsets.UTF_8);
            ProducerTuple p = new ProducerTuple("p1", 2, 7);
            StreamTables.commitWrites(c, List.of(new StreamTables.PendingChunk(d.name(), d.incarnation(),
                            new ChunkRow(0, data.length, new int[] {8, data.length}, data), 0)),
                    List.of(locked.withWrite(data.length, true, p, "s1")),
                    List.of(new StreamTables.ProducerWrite(d.name(), d.incarnation(), p)), List.of("note"));
            c.commit();
            c.setAutoCommit(true);

            StreamRow after = StreamTables.find(c, d.name());
            assertThat(after.tail()).isEqualTo(data.length);
            assertThat(after.closed()).isTrue();
            assertThat(after.closedBy()).isEqualTo(p);
            assertThat(after.lastStreamSeq()).isEqualTo("s1");
            assertThat(after.lastAccessMillis()).isEqualTo(5000L);
            StreamTables.ProducerKey p1 = new StreamTables.ProducerKey(d.name(), d.incarnation(), "p1");
            StreamTables.ProducerKey p2 = new StreamTables.ProducerKey(d.name(), d.incarnation(), "p2");
            assertThat(StreamTables.producers(c, Set.of(p1, p2)))
                    .containsOnlyKeys(p1).satisfies(m -> assertThat(m.get(p1)).containsExactly(2, 7));
            List<ChunkRow> chunks = StreamTables.chunks(c, d.name(), d.incarnation(), 8, data.length, 1 << 20);
            assertThat(chunks).hasSize(1);
            assertThat(chunks.get(0).messageEnds()).containsExactly(8, data.length);
            assertThat(chunks.get(0).data()).isEqualTo(data);

            StreamTables.deleteIncarnation(c, d.name(), d.incarnation());
            assertThat(StreamTables.find(c, d.name())).isNull();
            assertThat(StreamTables.chunks(c, d.name(), d.incarnation(), 0, 100, 100)).isEmpty();
        }
    }

    @Test
    void chunkReadsStopOnceTheyHoldEnoughBytes() throws Exception {
        try (Connection c = db.connection()) {
            StreamDescriptor d = descriptor(c, "bytes", "application/octet-stream");
            StreamTables.insert(c, d, 0, false, 0L);
            List<StreamTables.PendingChunk> chunks = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                chunks.add(new StreamTables.PendingChunk(d.name(), d.incarnation(), new ChunkRow(i * 10L, i * 10L + 10, null, new byte[10]), 0));
            }
            StreamTables.commitWrites(c, chunks, List.of(), List.of(), List.of());
            assertThat(StreamTables.chunks(c, d.name(), d.incarnation(), 15, 100, 20)).extracting(ChunkRow::start).containsExactly(10L, 20L, 30L);
            assertThat(StreamTables.chunks(c, d.name(), d.incarnation(), 0, 100, 1000)).hasSize(10);
            assertThat(StreamTables.chunks(c, d.name(), d.incarnation(), 0, 100, 1000).get(0).messageEnds()).isNull();
        }
    }

    @Test
    void incarnationsIncreaseAcrossConnections() throws Exception {
        long a;
        long b;
        try (Connection c1 = db.connection(); Connection c2 = db.connection()) {
            a = StreamTables.nextIncarnation(c1);
            b = StreamTables.nextIncarnation(c2);
        }
        assertThat(b).isGreaterThan(a);
    }
}
