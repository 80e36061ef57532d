package io.durablestreams.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Hears the changes every node commits: one connection of its own (outside the pool) that
 * {@code LISTEN}s on {@value #CHANNEL}; each notification is a {@link ChangeNote} (the committing
 * node, the stream, and after a write its committed state). When the connection is lost, it reconnects by itself and then reports {@code null}
 * ("anything may have changed"), so a notification lost meanwhile strands no reader. Its state
 * is also the node's view of whether the database is there ({@link #connected()}).
 */
final class ChangeListener implements AutoCloseable {
    static final String CHANNEL = "ds_changes";
    private static final System.Logger LOG = System.getLogger(ChangeListener.class.getName());
    /** How long one wait for notifications lasts; also how often the connection is checked. */
    private static final int POLL_MILLIS = 500;
    private static final long HEARTBEAT_MILLIS = 2_000;

    private final PostgresConfig config;
    private final String nodeId;
    private final Thread thread;
    private volatile Consumer<ChangeNote> listener = note -> { };
    private volatile boolean connected;
    private volatile boolean closing;
    private volatile Connection connection;

    ChangeListener(PostgresConfig config, String nodeId) {
        this.config = config;
        this.nodeId = nodeId;
        this.thread = new Thread(this::run, "ds-postgres-listen");
        thread.setDaemon(true);
    }

    /** Starts listening; {@code changes} hears other nodes' notes, and null when some may have been lost. */
    void start(Consumer<ChangeNote> changes) {
        this.listener = changes;
        thread.start();
    }

    boolean connected() {
        return connected;
    }

    private void run() {
        long backoff = 100;
        boolean lostBefore = false;
        while (!closing) {
            try (Connection c = open()) {
                connection = c;
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                connected = true;
                backoff = 100;
                if (lostBefore) {
                    LOG.log(System.Logger.Level.INFO, "reconnected to PostgreSQL; live readers re-check their streams");
                }
                listener.accept(null); // whatever happened before LISTEN took effect is re-checked
                listen(c);
            } catch (SQLException | RuntimeException e) {
                if (closing) {
                    break;
                }
                if (connected || !lostBefore) {
                    LOG.log(System.Logger.Level.WARNING, "lost the PostgreSQL notification connection (" + e.getMessage()
                            + "); reconnecting");
                }
                lostBefore = true;
            } finally {
                connected = false;
                connection = null;
            }
            sleep(backoff);
            backoff = Math.min(2_000, backoff * 2);
        }
    }

    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long lastCheck = System.currentTimeMillis();
        while (!closing) {
            PGNotification[] notes = pg.getNotifications(POLL_MILLIS);
            if (notes != null) {
                for (PGNotification n : notes) {
                    deliver(n.getParameter());
                }
            }
            long now = System.currentTimeMillis();
            if (now - lastCheck >= HEARTBEAT_MILLIS) {
                // a database that went away without closing the socket is noticed here
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT 1");
                }
                lastCheck = now;
            }
        }
    }

    private void deliver(String payload) {
        ChangeNote note = ChangeNote.parse(payload);
        if (note == null) {
            LOG.log(System.Logger.Level.WARNING, "ignored a change notification this node cannot read (a node of another version?)");
            return;
        }
        if (note.nodeId().equals(nodeId)) {
            return; // this node's own commit: its readers were woken when it committed
        }
        try {
            listener.accept(note);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "handling a change notification failed", e);
        }
    }

    private Connection open() throws SQLException {
        Properties props = new Properties();
        PostgresUrl url = config.url();
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        long seconds = Math.max(1, config.connectTimeout().toSeconds());
        props.setProperty("connectTimeout", Long.toString(seconds));
        props.setProperty("socketTimeout", Long.toString(Math.max(10, seconds * 2)));
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", "durable-streams-listen");
        props.setProperty("logServerErrorDetail", "false");
        return DriverManager.getConnection(url.jdbcUrl(), props);
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    @Override
    public void close() {
        closing = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
