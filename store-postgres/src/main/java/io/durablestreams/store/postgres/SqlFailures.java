package io.durablestreams.store.postgres;

import io.durablestreams.engine.store.StorageException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Sorts database failures: what a retry may fix (the database away or contended) from defects. */
final class SqlFailures {
    private SqlFailures() {
    }

    /** Two transactions deadlocked or conflicted: running the transaction again may succeed. */
    static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40P01".equals(state) || "40001".equals(state);
    }

    /** The database is unreachable, restarting, failing over or shutting down. */
    static boolean unavailable(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return true; // the pool waited its connect timeout for a connection
        }
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")
                || retryable(e) || "25006".equals(state); // 25006: read-only transaction, a standby after failover
    }

    /** The exception a request fails with: 503 for the database being away, else a storage error (500). */
    static RuntimeException of(String what, SQLException e) {
        if (unavailable(e)) {
            return new PostgresUnavailableException(what + ": the database is unavailable (" + e.getMessage() + ")", e);
        }
        return new StorageException(what + " failed: " + e.getMessage(), new IOException(e));
    }
}
