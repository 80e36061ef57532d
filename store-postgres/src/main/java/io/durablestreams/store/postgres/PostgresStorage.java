package io.durablestreams.store.postgres;

import io.durablestreams.engine.store.ControlStore;
import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.StreamLog;
import io.durablestreams.engine.store.StreamStorage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The PostgreSQL store (work in progress). */
public final class PostgresStorage implements StreamStorage {
    private final PostgresDatabase db;

    private PostgresStorage(PostgresDatabase db) {
        this.db = db;
    }

    /** Connects and migrates the schema; throws {@link PostgresUnavailableException} when the database cannot be reached. */
    public static PostgresStorage open(PostgresConfig config) {
        return new PostgresStorage(PostgresDatabase.open(config));
    }

    /** Control-plane records in the same database. */
    public ControlStore controlStore() {
        return new PostgresControlStore(db);
    }

    @Override
    public List<RecoveredStream> recover() {
        return List.of();
    }

    @Override
    public CompletableFuture<Long> nextIncarnation() {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<StreamLog> createLog(StreamDescriptor descriptor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public void close() {
        db.close();
    }
}
