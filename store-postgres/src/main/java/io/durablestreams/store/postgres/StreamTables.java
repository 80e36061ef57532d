package io.durablestreams.store.postgres;

import io.durablestreams.engine.store.ProducerTuple;
import io.durablestreams.engine.store.StreamDescriptor;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of the stream tables, one statement per method, on a connection the caller owns (and
 * whose transaction it controls). Every statement touches the rows of one stream, or of the
 * streams of one group commit by name, so each keeps working when the tables are distributed by
 * name (Citus). Not thread-safe only in the sense that a JDBC connection is not.
 */
final class StreamTables {
    private static final String STREAM_COLUMNS = "name, incarnation, soft_deleted, content_type, ttl_seconds, expires_at, "
            + "ttl_requested, expires_at_requested, created_ms, last_access_ms, source_name, source_incarnation, fork_position, "
            + "fork_offset_requested, fork_sub_offset, restartable, fork_refs, tail, closed, closed_by_id, closed_by_epoch, "
            + "closed_by_seq, last_stream_seq, retention_age_seconds, retention_bytes, retained_start, latest_snapshot";

    private StreamTables() {
    }

    /** A fresh incarnation id from the database-wide sequence. */
    static long nextIncarnation(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('ds_incarnation_seq')");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The row under {@code name}, or null. */
    static StreamRow find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + STREAM_COLUMNS + " FROM ds_stream WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    /**
     * Locks the rows of {@code names} for the rest of the transaction, in name order (every node
     * locks in the same order, so two group commits cannot deadlock), and returns them by name.
     */
    static Map<String, StreamRow> lock(Connection c, Collection<String> names) throws SQLException {
        Map<String, StreamRow> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + STREAM_COLUMNS + " FROM ds_stream WHERE name = ANY(?) ORDER BY name FOR UPDATE")) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StreamRow r = row(rs);
                    out.put(r.name(), r);
                }
            }
        }
        return out;
    }

    /** Locks and returns the row under {@code name} for the rest of the transaction, or null. */
    static StreamRow lockOne(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + STREAM_COLUMNS + " FROM ds_stream WHERE name = ? FOR UPDATE")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    /** Takes a fork reference on a live source incarnation; false when it is gone, replaced or soft-deleted. */
    static boolean addForkRef(Connection c, String name, long incarnation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ds_stream SET fork_refs = fork_refs + 1 "
                + "WHERE name = ? AND incarnation = ? AND NOT soft_deleted")) {
            ps.setString(1, name);
            ps.setLong(2, incarnation);
            return ps.executeUpdate() == 1;
        }
    }

    /** Names of every live stream. */
    static List<String> names(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM ds_stream WHERE NOT soft_deleted");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** A stream incarnation. */
    record Key(String name, long incarnation) {
    }

    /** Live streams whose expiry (absolute, or sliding TTL since the last recorded access) has passed. */
    static List<Key> expired(Connection c, long nowMillis, int limit) throws SQLException {
        List<Key> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, incarnation FROM ds_stream WHERE NOT soft_deleted AND "
                + "(expires_at_ms <= ? OR (ttl_seconds IS NOT NULL AND last_access_ms <= ? - ttl_seconds * 1000)) LIMIT ?")) {
            ps.setLong(1, nowMillis);
            ps.setLong(2, nowMillis);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Key(rs.getString(1), rs.getLong(2)));
                }
            }
        }
        return out;
    }

    /** Records accesses for sliding TTLs, never moving one back. */
    static void touch(Connection c, List<Map.Entry<PostgresStreamLog, Long>> accesses) throws SQLException {
        if (accesses.isEmpty()) {
            return;
        }
        String[] names = new String[accesses.size()];
        Long[] incarnations = new Long[accesses.size()];
        Long[] times = new Long[accesses.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = accesses.get(i).getKey().name();
            incarnations[i] = accesses.get(i).getKey().incarnation();
            times[i] = accesses.get(i).getValue();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE ds_stream s SET last_access_ms = GREATEST(s.last_access_ms, v.t) "
                + "FROM unnest(?::text[], ?::bigint[], ?::bigint[]) AS v(name, inc, t) WHERE s.name = v.name AND s.incarnation = v.inc")) {
            ps.setArray(1, c.createArrayOf("text", names));
            ps.setArray(2, c.createArrayOf("bigint", incarnations));
            ps.setArray(3, c.createArrayOf("bigint", times));
            ps.executeUpdate();
        }
    }

    /** Tells every node, on commit (notifications are transactional), what changed ({@link ChangeNote} payloads). */
    static void notify(Connection c, java.util.Collection<String> notes) throws SQLException {
        if (notes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + ChangeListener.CHANNEL + "', n) FROM unnest(?::text[]) AS n")) {
            ps.setArray(1, c.createArrayOf("text", notes.toArray()));
            ps.execute();
        }
    }

    /** Inserts a new stream row unless the name is taken; returns whether it was inserted. */
    static boolean insert(Connection c, StreamDescriptor d, long tail, boolean closed, long nowMillis) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ds_stream (" + STREAM_COLUMNS + ", expires_at_ms) "
                + "VALUES (?, ?, false, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, NULL, NULL, NULL, NULL, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (name) DO NOTHING")) {
            int i = 1;
            ps.setString(i++, d.name());
            ps.setLong(i++, d.incarnation());
            ps.setString(i++, d.contentType());
            setLong(ps, i++, d.ttlSeconds());
            ps.setString(i++, d.expiresAt());
            setLong(ps, i++, d.ttlRequested());
            ps.setString(i++, d.expiresAtRequested());
            ps.setLong(i++, d.createdAtMillis());
            ps.setLong(i++, nowMillis);
            ps.setString(i++, d.sourceName());
            setLong(ps, i++, d.isFork() ? d.sourceIncarnation() : null);
            ps.setLong(i++, d.forkPosition());
            ps.setString(i++, d.forkOffsetRequested());
            ps.setLong(i++, d.forkSubOffsetRequested());
            ps.setBoolean(i++, d.restartable());
            ps.setLong(i++, tail);
            ps.setBoolean(i++, closed);
            setLong(ps, i++, d.retentionAgeSeconds());
            setLong(ps, i++, d.retentionBytes());
            ps.setLong(i++, d.initialStart());
            ps.setLong(i++, d.initialSnapshot());
            setLong(ps, i, expiresAtMillis(d.expiresAt()));
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Stores what a group commit decided, in one statement (one round trip): the chunks of the
     * accepted appends, the new writer state of the streams, the producers' new states (at most
     * one write per producer: its last) and the notifications ({@link ChangeNote} payloads).
     */
    static void commitWrites(Connection c, List<PendingChunk> chunks, Collection<StreamRow> rows,
                             Collection<ProducerWrite> producers, Collection<String> notes) throws SQLException {
        int n = chunks.size();
        String[] chunkNames = new String[n];
        Long[] chunkIncarnations = new Long[n];
        Long[] starts = new Long[n];
        Long[] ends = new Long[n];
        Long[] appendedAt = new Long[n];
        String[] messageEnds = new String[n];
        byte[][] data = new byte[n][];
        for (int i = 0; i < n; i++) {
            PendingChunk ch = chunks.get(i);
            chunkNames[i] = ch.name();
            chunkIncarnations[i] = ch.incarnation();
            starts[i] = ch.chunk().start();
            ends[i] = ch.chunk().end();
            appendedAt[i] = ch.appendedAtMillis();
            messageEnds[i] = ch.chunk().messageEnds() == null ? null : arrayLiteral(ch.chunk().messageEnds());
            data[i] = ch.chunk().data();
        }
        int r = rows.size();
        String[] rowNames = new String[r];
        Long[] rowIncarnations = new Long[r];
        Long[] tails = new Long[r];
        Boolean[] closed = new Boolean[r];
        String[] closedById = new String[r];
        Long[] closedByEpoch = new Long[r];
        Long[] closedBySeq = new Long[r];
        String[] lastStreamSeq = new String[r];
        Long[] retainedStart = new Long[r];
        Long[] latestSnapshot = new Long[r];
        int i = 0;
        for (StreamRow row : rows) {
            ProducerTuple by = row.closedBy();
            rowNames[i] = row.name();
            rowIncarnations[i] = row.incarnation();
            tails[i] = row.tail();
            closed[i] = row.closed();
            closedById[i] = by == null ? null : by.id();
            closedByEpoch[i] = by == null ? null : by.epoch();
            closedBySeq[i] = by == null ? null : by.seq();
            retainedStart[i] = row.retainedStart();
            latestSnapshot[i] = row.latestSnapshot();
            lastStreamSeq[i++] = row.lastStreamSeq();
        }
        int p = producers.size();
        String[] producerNames = new String[p];
        Long[] producerIncarnations = new Long[p];
        String[] producerIds = new String[p];
        Long[] epochs = new Long[p];
        Long[] seqs = new Long[p];
        i = 0;
        for (ProducerWrite w : producers) {
            producerNames[i] = w.name();
            producerIncarnations[i] = w.incarnation();
            producerIds[i] = w.producer().id();
            epochs[i] = w.producer().epoch();
            seqs[i++] = w.producer().seq();
        }
        try (PreparedStatement ps = c.prepareStatement("WITH chunk AS ("
                + "INSERT INTO ds_chunk (name, incarnation, start_pos, end_pos, message_ends, data, appended_ms) "
                + "SELECT n, i, s, e, m::integer[], d, a FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::bytea[], "
                + "?::bigint[]) AS t(n, i, s, e, m, d, a)), "
                + "writer AS (UPDATE ds_stream AS x SET tail = u.tail, closed = u.closed, closed_by_id = u.by_id, "
                + "closed_by_epoch = u.by_epoch, closed_by_seq = u.by_seq, last_stream_seq = u.stream_seq, "
                + "retained_start = GREATEST(x.retained_start, u.retained), latest_snapshot = GREATEST(x.latest_snapshot, u.snapshot) "
                + "FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::boolean[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], "
                + "?::bigint[], ?::bigint[]) AS u(name, inc, tail, closed, by_id, by_epoch, by_seq, stream_seq, retained, snapshot) "
                + "WHERE x.name = u.name AND x.incarnation = u.inc), "
                + "producer AS (INSERT INTO ds_producer (name, incarnation, producer_id, epoch, last_seq) "
                + "SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[]) "
                + "ON CONFLICT (name, incarnation, producer_id) DO UPDATE SET epoch = EXCLUDED.epoch, last_seq = EXCLUDED.last_seq) "
                + "SELECT pg_notify('" + ChangeListener.CHANNEL + "', n) FROM unnest(?::text[]) AS n")) {
            int k = 1;
            ps.setArray(k++, c.createArrayOf("text", chunkNames));
            ps.setArray(k++, c.createArrayOf("bigint", chunkIncarnations));
            ps.setArray(k++, c.createArrayOf("bigint", starts));
            ps.setArray(k++, c.createArrayOf("bigint", ends));
            ps.setArray(k++, c.createArrayOf("text", messageEnds));
            ps.setObject(k++, data);
            ps.setArray(k++, c.createArrayOf("bigint", appendedAt));
            ps.setArray(k++, c.createArrayOf("text", rowNames));
            ps.setArray(k++, c.createArrayOf("bigint", rowIncarnations));
            ps.setArray(k++, c.createArrayOf("bigint", tails));
            ps.setArray(k++, c.createArrayOf("boolean", closed));
            ps.setArray(k++, c.createArrayOf("text", closedById));
            ps.setArray(k++, c.createArrayOf("bigint", closedByEpoch));
            ps.setArray(k++, c.createArrayOf("bigint", closedBySeq));
            ps.setArray(k++, c.createArrayOf("text", lastStreamSeq));
            ps.setArray(k++, c.createArrayOf("bigint", retainedStart));
            ps.setArray(k++, c.createArrayOf("bigint", latestSnapshot));
            ps.setArray(k++, c.createArrayOf("text", producerNames));
            ps.setArray(k++, c.createArrayOf("bigint", producerIncarnations));
            ps.setArray(k++, c.createArrayOf("text", producerIds));
            ps.setArray(k++, c.createArrayOf("bigint", epochs));
            ps.setArray(k++, c.createArrayOf("bigint", seqs));
            ps.setArray(k, c.createArrayOf("text", notes.toArray()));
            ps.execute();
        }
    }

    private static String arrayLiteral(int[] values) {
        StringBuilder sb = new StringBuilder(values.length * 6).append('{');
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(values[i]);
        }
        return sb.append('}').toString();
    }

    /** A chunk to insert, with the stream incarnation it belongs to and when it was accepted. */
    record PendingChunk(String name, long incarnation, ChunkRow chunk, long appendedAtMillis) {
    }

    /** A producer of one stream incarnation. */
    record ProducerKey(String name, long incarnation, String producerId) {
    }

    /** Producer states (epoch, last seq) of the given producers, in one round trip; absent ones are missing from the map. */
    static Map<ProducerKey, long[]> producers(Connection c, Collection<ProducerKey> keys) throws SQLException {
        Map<ProducerKey, long[]> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        String[] names = new String[keys.size()];
        Long[] incarnations = new Long[keys.size()];
        String[] ids = new String[keys.size()];
        int i = 0;
        for (ProducerKey k : keys) {
            names[i] = k.name();
            incarnations[i] = k.incarnation();
            ids[i++] = k.producerId();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT p.name, p.incarnation, p.producer_id, p.epoch, p.last_seq "
                + "FROM ds_producer p JOIN unnest(?::text[], ?::bigint[], ?::text[]) AS k(name, inc, id) "
                + "ON p.name = k.name AND p.incarnation = k.inc AND p.producer_id = k.id")) {
            ps.setArray(1, c.createArrayOf("text", names));
            ps.setArray(2, c.createArrayOf("bigint", incarnations));
            ps.setArray(3, c.createArrayOf("text", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new ProducerKey(rs.getString(1), rs.getLong(2), rs.getString(3)), new long[] {rs.getLong(4), rs.getLong(5)});
                }
            }
        }
        return out;
    }

    /** A producer's new state, committed with the append it accepted. */
    record ProducerWrite(String name, long incarnation, ProducerTuple producer) {
    }

    /**
     * The chunks of one incarnation that overlap {@code [from, to)}, in order, stopping after the
     * first chunk that reaches {@code from + maxBytes} (a read never loads more than it can send).
     */
    static List<ChunkRow> chunks(Connection c, String name, long incarnation, long from, long to, long maxBytes) throws SQLException {
        List<ChunkRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT start_pos, end_pos, message_ends, data FROM ds_chunk "
                + "WHERE name = ? AND incarnation = ? AND end_pos > ? AND start_pos < ? ORDER BY start_pos")) {
            ps.setString(1, name);
            ps.setLong(2, incarnation);
            ps.setLong(3, from);
            ps.setLong(4, to);
            ps.setFetchSize(64);
            try (ResultSet rs = ps.executeQuery()) {
                long limit = from + maxBytes;
                while (rs.next()) {
                    Array ends = rs.getArray(3);
                    ChunkRow ch = new ChunkRow(rs.getLong(1), rs.getLong(2), ends == null ? null : ints(ends), rs.getBytes(4));
                    out.add(ch);
                    if (ch.end() >= limit) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** Deletes every row of one stream incarnation (its chunks, producers and the stream row). */
    static void deleteIncarnation(Connection c, String name, long incarnation) throws SQLException {
        for (String table : new String[] {"ds_chunk", "ds_producer", "ds_stream"}) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE name = ? AND incarnation = ?")) {
                ps.setString(1, name);
                ps.setLong(2, incarnation);
                ps.executeUpdate();
            }
        }
    }

    private static StreamRow row(ResultSet rs) throws SQLException {
        Long sourceIncarnation = getLong(rs, "source_incarnation");
        StreamDescriptor d = new StreamDescriptor(rs.getString("name"), rs.getLong("incarnation"), rs.getString("content_type"),
                getLong(rs, "ttl_seconds"), rs.getString("expires_at"), getLong(rs, "ttl_requested"),
                rs.getString("expires_at_requested"), rs.getLong("created_ms"), rs.getString("source_name"),
                sourceIncarnation == null ? 0 : sourceIncarnation, rs.getLong("fork_position"),
                rs.getString("fork_offset_requested"), rs.getLong("fork_sub_offset"), rs.getBoolean("restartable"),
                getLong(rs, "retention_age_seconds"), getLong(rs, "retention_bytes"), 0, -1);
        String closedById = rs.getString("closed_by_id");
        ProducerTuple closedBy = closedById == null ? null
                : new ProducerTuple(closedById, rs.getLong("closed_by_epoch"), rs.getLong("closed_by_seq"));
        return new StreamRow(d, rs.getBoolean("soft_deleted"), rs.getLong("tail"), rs.getBoolean("closed"), closedBy,
                rs.getString("last_stream_seq"), rs.getLong("last_access_ms"), rs.getInt("fork_refs"),
                rs.getLong("retained_start"), rs.getLong("latest_snapshot"));
    }

    static Long expiresAtMillis(String rfc3339) {
        if (rfc3339 == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(rfc3339).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Long getLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static int[] ints(Array a) throws SQLException {
        Object[] values = (Object[]) a.getArray();
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = ((Number) values[i]).intValue();
        }
        return out;
    }
}
