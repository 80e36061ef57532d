package io.durablestreams.engine.store.memory;

import io.durablestreams.engine.store.ControlStore;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A {@link ControlStore} in the heap: nothing survives a restart. */
public final class MemoryControlStore implements ControlStore {
    private final ConcurrentSkipListMap<String, byte[]> records = new ConcurrentSkipListMap<>();

    @Override
    public Map<String, byte[]> load(String prefix) {
        Map<String, byte[]> out = new TreeMap<>();
        records.tailMap(prefix).forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v.clone());
            }
        });
        return out;
    }

    @Override
    public void put(String key, byte[] value) {
        records.put(key, value.clone());
    }

    @Override
    public void remove(String key) {
        records.remove(key);
    }
}
