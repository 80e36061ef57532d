package io.durablestreams.spring;

import io.durablestreams.engine.StreamEngine;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports the store: up while it is available (a networked store whose database answers), with
 * the kind of store, the number of streams and the bytes it holds.
 */
public class DurableStreamsHealthIndicator implements HealthIndicator {
    private final StreamEngine engine;
    private final String store;

    public DurableStreamsHealthIndicator(StreamEngine engine, String store) {
        this.engine = engine;
        this.store = store;
    }

    @Override
    public Health health() {
        Health.Builder health = engine.storageAvailable() ? Health.up() : Health.down();
        return health.withDetail("store", store)
                .withDetail("streams", engine.streamCount())
                .withDetail("storedBytes", engine.storedBytes())
                .build();
    }
}
