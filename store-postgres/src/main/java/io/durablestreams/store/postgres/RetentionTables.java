package io.durablestreams.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of retention on PostgreSQL (docs/extensions/retention.md), run by the background sweep on
 * the store's io threads, each statement on its own (autocommit): every one is safe to repeat and
 * to run on several nodes at once (starts only move forward, deletions only remove chunks below a
 * start that has been in effect for a whole interval).
 */
final class RetentionTables {
    /** Chunks deleted per statement: {@value} (a statement holds its row locks briefly, the WAL stays small). */
    static final int DELETE_BATCH = 1_000;
    /** Streams read per page of a sweep: {@value}. */
    static final int PAGE = 500;

    private RetentionTables() {
    }

    /** A stream the sweep looks at. */
    record Candidate(String name, long incarnation, long tail, long retainedStart, long latestSnapshot, Long ageSeconds,
                     Long bytes, long reclaimTo, long reclaimAtMillis) {
    }

    /** The next page of streams with a policy, or whose start moved past what was deleted, after {@code afterName}. */
    static List<Candidate> candidates(Connection c, String afterName) throws SQLException {
        List<Candidate> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, incarnation, tail, retained_start, latest_snapshot, "
                + "retention_age_seconds, retention_bytes, reclaim_to, reclaim_at_ms FROM ds_stream "
                + "WHERE (retention_age_seconds IS NOT NULL OR retention_bytes IS NOT NULL OR retained_start > reclaim_to) "
                + "AND name > ? ORDER BY name LIMIT " + PAGE)) {
            ps.setString(1, afterName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long age = rs.getLong(6);
                    Long ageSeconds = rs.wasNull() ? null : age;
                    long bytes = rs.getLong(7);
                    Long retentionBytes = rs.wasNull() ? null : bytes;
                    out.add(new Candidate(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            ageSeconds, retentionBytes, rs.getLong(8), rs.getLong(9)));
                }
            }
        }
        return out;
    }

    /**
     * Deletes the chunks below the start the previous sweep recorded ({@code reclaim_to}), once that
     * is {@code graceMillis} old, never below the start of a fork (of a fork...) that still reads
     * through this stream; then records the current start for the next sweep. Returns the bytes freed.
     */
    static long free(Connection c, Candidate k, long nowMillis, long graceMillis) throws SQLException {
        if (k.reclaimAtMillis() > nowMillis - graceMillis) {
            return 0;
        }
        long floor = Math.min(k.reclaimTo(), k.retainedStart());
        Long forks = lowestForkStart(c, k);
        if (forks != null) {
            floor = Math.min(floor, forks);
        }
        long freed = 0;
        if (floor > 0) {
            for (;;) {
                long[] batch = deleteBatch(c, k, floor);
                freed += batch[1];
                if (batch[0] < DELETE_BATCH) {
                    break;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE ds_stream SET reclaim_to = retained_start, reclaim_at_ms = ? "
                + "WHERE name = ? AND incarnation = ?")) {
            ps.setLong(1, nowMillis);
            ps.setString(2, k.name());
            ps.setLong(3, k.incarnation());
            ps.executeUpdate();
        }
        return freed;
    }

    /** The lowest retained start of the stream's forks, their forks and so on (soft-deleted ones included), or null. */
    private static Long lowestForkStart(Connection c, Candidate k) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE f(name, incarnation, retained_start) AS ("
                + "SELECT name, incarnation, retained_start FROM ds_stream WHERE source_name = ? AND source_incarnation = ? "
                + "UNION ALL SELECT s.name, s.incarnation, s.retained_start FROM ds_stream s "
                + "JOIN f ON s.source_name = f.name AND s.source_incarnation = f.incarnation) "
                + "SELECT min(retained_start) FROM f")) {
            ps.setString(1, k.name());
            ps.setLong(2, k.incarnation());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
        }
    }

    /** Deletes up to {@link #DELETE_BATCH} chunks wholly below {@code floor}; returns {rows, bytes}. */
    private static long[] deleteBatch(Connection c, Candidate k, long floor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ds_chunk WHERE name = ? AND incarnation = ? AND start_pos IN ("
                + "SELECT start_pos FROM ds_chunk WHERE name = ? AND incarnation = ? AND end_pos <= ? ORDER BY start_pos LIMIT "
                + DELETE_BATCH + ") RETURNING octet_length(data)")) {
            ps.setString(1, k.name());
            ps.setLong(2, k.incarnation());
            ps.setString(3, k.name());
            ps.setLong(4, k.incarnation());
            ps.setLong(5, floor);
            long rows = 0;
            long bytes = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    bytes += rs.getLong(1);
                }
            }
            return new long[] {rows, bytes};
        }
    }

    /**
     * Moves the start to the cut the policies allow: the end of the last of the stream's own chunks
     * that the size limit, or the age limit, gives up (a fork's inherited bytes are kept until one of
     * its own chunks goes), never past the latest snapshot (checked on the row as it is updated).
     */
    static void advance(Connection c, Candidate k, long nowMillis) throws SQLException {
        long cut = k.retainedStart();
        if (k.bytes() != null && k.tail() - k.retainedStart() > k.bytes()) {
            cut = Math.max(cut, lastEndAtOrBelow(c, k, k.tail() - k.bytes()));
        }
        if (k.ageSeconds() != null) {
            long before = nowMillis - (k.ageSeconds() > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : k.ageSeconds() * 1000);
            long firstYoung;
            try (PreparedStatement ps = c.prepareStatement("SELECT min(start_pos) FROM ds_chunk "
                    + "WHERE name = ? AND incarnation = ? AND end_pos > ? AND appended_ms >= ?")) {
                ps.setString(1, k.name());
                ps.setLong(2, k.incarnation());
                ps.setLong(3, k.retainedStart());
                ps.setLong(4, before);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long v = rs.getLong(1);
                    firstYoung = rs.wasNull() ? k.tail() : v;
                }
            }
            cut = Math.max(cut, lastEndAtOrBelow(c, k, firstYoung));
        }
        if (cut <= k.retainedStart()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE ds_stream SET retained_start = GREATEST(retained_start, "
                + "CASE WHEN latest_snapshot >= 0 THEN LEAST(?, latest_snapshot) ELSE ? END) WHERE name = ? AND incarnation = ?")) {
            ps.setLong(1, cut);
            ps.setLong(2, cut);
            ps.setString(3, k.name());
            ps.setLong(4, k.incarnation());
            ps.executeUpdate();
        }
    }

    /** The end of the stream's own last chunk ending at or below {@code position}, or 0. */
    private static long lastEndAtOrBelow(Connection c, Candidate k, long position) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max(end_pos) FROM ds_chunk WHERE name = ? AND incarnation = ? "
                + "AND end_pos <= ?")) {
            ps.setString(1, k.name());
            ps.setLong(2, k.incarnation());
            ps.setLong(3, position);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
