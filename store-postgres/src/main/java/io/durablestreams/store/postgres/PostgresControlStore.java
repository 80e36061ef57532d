package io.durablestreams.store.postgres;

import io.durablestreams.engine.store.ControlStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Control-plane records in {@code ds_control}, shared by every node. Outside {@link #exclusively}
 * each call is its own transaction (auto-commit), durable when it returns.
 *
 * <p>{@link #exclusively} is one transaction that first takes a transaction-level advisory lock
 * ({@code pg_advisory_xact_lock}); the records read and written inside go through that transaction
 * (the connection is bound to the calling thread), so they commit together when the work returns,
 * and the lock is released by the commit. A transaction-level lock rather than a session-level
 * one on a long-lived connection: it cannot outlive its work, not even when the connection drops
 * or the node dies mid-way (the server rolls back and releases it), and it needs no connection of
 * its own to keep alive.
 */
public final class PostgresControlStore implements ControlStore {
    /** The advisory lock of the control records ("ds_ctrl" in ASCII); advisory locks are per database. */
    static final long LOCK_KEY = 0x64735f6374726cL;
    /** SQLSTATE lock_not_available: {@code lock_timeout} passed. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final PostgresDatabase db;
    /** The transaction of {@link #exclusively} on the thread that runs it. */
    private final ThreadLocal<Connection> held = new ThreadLocal<>();

    public PostgresControlStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public boolean shared() {
        return true;
    }

    /**
     * Runs {@code work} in one transaction holding the lock. Waits for the lock at most the
     * configured connect timeout (a request waits no longer than for a connection), then throws
     * {@link PostgresUnavailableException}, as when the database cannot be reached or the commit
     * fails; the HTTP binding answers 503 with {@code Retry-After}.
     */
    @Override
    public <T> T exclusively(Supplier<T> work) {
        if (held.get() != null) {
            return work.get();
        }
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            boolean committed = false;
            try {
                lock(c);
                held.set(c);
                T out = work.get();
                c.commit();
                committed = true;
                return out;
            } finally {
                held.remove();
                if (!committed) {
                    rollback(c);
                }
            }
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw new PostgresUnavailableException("the control records are locked by another node for longer than "
                        + db.config().connectTimeout().toMillis() + " ms", e);
            }
            throw SqlFailures.of("control records", e);
        }
    }

    private void lock(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL lock_timeout = " + Math.max(1, db.config().connectTimeout().toMillis()));
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            ps.execute();
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection broke; the server rolled back already, and the pool discards the connection
        }
    }

    @Override
    public Map<String, byte[]> load(String prefix) {
        return run("control records " + prefix + "*", c -> {
            Map<String, byte[]> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT key, value FROM ds_control WHERE left(key, char_length(?)) = ? ORDER BY key")) {
                ps.setString(1, prefix);
                ps.setString(2, prefix);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getBytes(2));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void put(String key, byte[] value) {
        update("INSERT INTO ds_control (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", key, value);
    }

    @Override
    public void remove(String key) {
        update("DELETE FROM ds_control WHERE key = ?", key, null);
    }

    private void update(String sql, String key, byte[] value) {
        run("control record " + key, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, key);
                if (value != null) {
                    ps.setBytes(2, value);
                }
                ps.executeUpdate();
            }
            return null;
        });
    }

    @FunctionalInterface
    private interface Sql<T> {
        T apply(Connection c) throws SQLException;
    }

    /** Runs on the transaction of {@link #exclusively} when the thread is inside it, else on a pooled connection. */
    private <T> T run(String what, Sql<T> sql) {
        try {
            Connection c = held.get();
            if (c != null) {
                return sql.apply(c);
            }
            try (Connection pooled = db.connection()) {
                return sql.apply(pooled);
            }
        } catch (SQLException e) {
            throw SqlFailures.of(what, e);
        }
    }
}
