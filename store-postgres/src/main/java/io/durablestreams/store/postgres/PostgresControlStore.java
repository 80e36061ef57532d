package io.durablestreams.store.postgres;

import io.durablestreams.engine.store.ControlStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Control-plane records in {@code ds_control}, shared by every node. Each call is its own
 * transaction (auto-commit), durable when it returns.
 */
public final class PostgresControlStore implements ControlStore {
    private final PostgresDatabase db;

    public PostgresControlStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Map<String, byte[]> load(String prefix) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT key, value FROM ds_control WHERE left(key, char_length(?)) = ? ORDER BY key")) {
            ps.setString(1, prefix);
            ps.setString(2, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getBytes(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new PostgresUnavailableException("control records " + prefix + "*: " + e.getMessage(), e);
        }
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
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            if (value != null) {
                ps.setBytes(2, value);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new PostgresUnavailableException("control record " + key + ": " + e.getMessage(), e);
        }
    }
}
