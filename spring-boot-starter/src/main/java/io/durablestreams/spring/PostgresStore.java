package io.durablestreams.spring;

import io.durablestreams.engine.store.ControlStore;
import io.durablestreams.engine.store.StreamStorage;
import io.durablestreams.store.postgres.PostgresConfig;
import io.durablestreams.store.postgres.PostgresStorage;

/** The PostgreSQL store, referenced only when configured (ds-store-postgres is an optional dependency). */
final class PostgresStore {
    private PostgresStore() {}

    static StreamStorage open(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("durable-streams.server.store=postgres needs durable-streams.server.postgres-url");
        }
        return PostgresStorage.open(PostgresConfig.of(url));
    }

    static ControlStore control(StreamStorage storage) {
        return ((PostgresStorage) storage).controlStore();
    }
}
