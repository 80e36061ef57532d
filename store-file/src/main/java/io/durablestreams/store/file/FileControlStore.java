package io.durablestreams.store.file;

import io.durablestreams.engine.store.ControlStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Control-plane records (subscriptions, signing keys) in {@code DATA_DIR/control/}: one
 * {@link SealedBlob} per key, named by the hex of the key's UTF-8 bytes so no key can become a
 * path. {@link #put} replaces the file atomically and syncs the directory before returning;
 * a torn or corrupt record reads as absent. Thread-safe for distinct keys; callers serialize
 * writes of one key (the subscription manager runs on one thread).
 */
public final class FileControlStore implements ControlStore {
    static final String DIRECTORY = "control";
    private static final String SUFFIX = ".rec";
    private static final HexFormat HEX = HexFormat.of();

    private final Path dir;

    public FileControlStore(Path dataDir) {
        this.dir = dataDir.resolve(DIRECTORY);
        try {
            Files.createDirectories(dir);
            Fsync.directory(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    @Override
    public Map<String, byte[]> load(String prefix) {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String file = f.getFileName().toString();
                if (!file.endsWith(SUFFIX)) {
                    continue;
                }
                String key;
                try {
                    key = new String(HEX.parseHex(file.substring(0, file.length() - SUFFIX.length())), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (key.startsWith(prefix)) {
                    byte[] body = SealedBlob.read(f, SealedBlob.CONTROL_MAGIC);
                    if (body != null) {
                        out.put(key, body);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return out;
    }

    @Override
    public void put(String key, byte[] value) {
        try {
            SealedBlob.writeAtomically(file(key), SealedBlob.CONTROL_MAGIC, value, true);
        } catch (IOException e) {
            throw StorageFailures.wrap(e, "writing control record " + file(key));
        }
    }

    @Override
    public void remove(String key) {
        try {
            if (Files.deleteIfExists(file(key))) {
                Fsync.directory(dir);
            }
        } catch (IOException e) {
            throw StorageFailures.wrap(e, "removing control record " + file(key));
        }
    }

    private Path file(String key) {
        return dir.resolve(HEX.formatHex(key.getBytes(StandardCharsets.UTF_8)) + SUFFIX);
    }
}
