package io.durablestreams.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Deletes a stream incarnation in one transaction (PROTOCOL.md §4.2): soft while forks still read
 * it (its row stays, answering 410, and its name cannot be reused), else its rows go; the fork
 * reference it held on its source is dropped, and a soft-deleted source whose last fork this was
 * goes too, up the chain. Rows are locked child before source; a deadlock with another node's
 * transaction is retried.
 */
final class StreamDeletion {
    private static final int MAX_ATTEMPTS = 3;

    private StreamDeletion() {
    }

    /** True: soft-deleted; false: removed; null: the name no longer holds that incarnation. */
    static Boolean delete(Connection c, String name, long incarnation, String nodeId) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            c.setAutoCommit(false);
            try {
                Boolean result = deleteInTransaction(c, name, incarnation, nodeId);
                c.commit();
                return result;
            } catch (SQLException e) {
                c.rollback();
                if (!SqlFailures.retryable(e) || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static Boolean deleteInTransaction(Connection c, String name, long incarnation, String nodeId) throws SQLException {
        StreamRow row = StreamTables.lockOne(c, name);
        if (row == null || row.incarnation() != incarnation) {
            return null;
        }
        Set<String> changed = new LinkedHashSet<>();
        changed.add(name);
        if (row.softDeleted()) {
            return true;
        }
        if (row.forkRefs() > 0) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ds_stream SET soft_deleted = true WHERE name = ? AND incarnation = ?")) {
                ps.setString(1, name);
                ps.setLong(2, incarnation);
                ps.executeUpdate();
            }
            StreamTables.notify(c, changed.stream().map(n -> ChangeNote.nameOnly(nodeId, n)).toList());
            return true;
        }
        StreamTables.deleteIncarnation(c, name, incarnation);
        StreamRow child = row;
        while (child.descriptor().isFork()) {
            StreamRow source = StreamTables.lockOne(c, child.descriptor().sourceName());
            if (source == null || source.incarnation() != child.descriptor().sourceIncarnation()) {
                break;
            }
            if (source.forkRefs() > 1 || !source.softDeleted()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE ds_stream SET fork_refs = fork_refs - 1 WHERE name = ? AND incarnation = ?")) {
                    ps.setString(1, source.name());
                    ps.setLong(2, source.incarnation());
                    ps.executeUpdate();
                }
                break;
            }
            StreamTables.deleteIncarnation(c, source.name(), source.incarnation());
            changed.add(source.name());
            child = source;
        }
        StreamTables.notify(c, changed.stream().map(n -> ChangeNote.nameOnly(nodeId, n)).toList());
        return false;
    }
}
