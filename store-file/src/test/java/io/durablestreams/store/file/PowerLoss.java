package io.durablestreams.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Simulates a power cut in a store's directory. For the files the store opens through
 * {@link #opener()} (data, record logs, journal), the durable image is the content at the last
 * {@code force}. {@link #freeze()} marks the moment of the cut: later forces do not count, and the
 * other files (descriptors, checkpoints, written whole and forced by the store itself) are
 * remembered as they are. {@link #cut(Random)} then rewrites the directory as the disk could hold
 * it: files created after the freeze are gone, files deleted after it are back, the remembered
 * files are restored, and each opened file holds its durable image plus a random subset of the
 * 4 KiB pages written since (writeback happens in any order); one never forced may vanish. A
 * process kill keeps the page cache, so only this exercises what a checkpoint or the journal must
 * really have forced. Deletions before the freeze stay (the store forces the directory after them).
 */
final class PowerLoss {
    private static final int PAGE = 4096;

    /** The durable image of one file; null while it was never forced. */
    private static final class Tracked {
        volatile byte[] durable;
    }

    private final Path root;
    private final Map<Path, Tracked> files = new ConcurrentHashMap<>();
    private boolean frozen;
    /** At the freeze: every file, with the content of those not opened through the opener. */
    private final Map<Path, byte[]> atFreeze = new java.util.HashMap<>();

    PowerLoss(Path root) {
        this.root = root;
    }

    ChannelOpener opener() {
        return (Path path, OpenOption... options) -> {
            Tracked t = files.get(path);
            if (t == null) {
                t = new Tracked();
                if (Files.exists(path)) {
                    t.durable = Files.readAllBytes(path); // from before this simulation: already durable
                }
                files.put(path, t);
            }
            return new Channel(FileChannel.open(path, options), path, t);
        };
    }

    /** The moment of the power cut: forces from now on do not reach the disk. */

    synchronized void freeze() throws IOException {
        frozen = true;
        for (Path p : regularFiles()) {
            try {
                atFreeze.put(p, files.containsKey(p) ? null : Files.readAllBytes(p));
            } catch (java.nio.file.NoSuchFileException e) {
                // renamed or removed while we walked (a checkpoint's temp file): not there at the cut
            }
        }
    }

    private List<Path> regularFiles() throws IOException {
        while (true) {
            try (Stream<Path> s = Files.walk(root)) {
                return s.filter(Files::isRegularFile).toList();
            } catch (java.io.UncheckedIOException e) {
                // a file vanished under the walk (the store is still running at the freeze): walk again
            }
        }
    }

    private synchronized void forced(Path path, Tracked t) throws IOException {
        if (!frozen) {
            try {
                t.durable = Files.readAllBytes(path);
            } catch (java.nio.file.NoSuchFileException e) {
                return; // its stream was deleted (renamed away) since the channel was opened
            }
        }
    }

    /** Rewrites every tracked file as a disk could hold it after the cut. Call after the store is abandoned. */
    void cut(Random random) throws IOException {
        for (Path p : regularFiles()) {
            if (!atFreeze.containsKey(p)) {
                Files.delete(p);
            }
        }
        for (Map.Entry<Path, byte[]> e : atFreeze.entrySet()) {
            Path path = e.getKey();
            Tracked tracked = files.get(path);
            if (tracked == null) {
                Files.createDirectories(path.getParent());
                Files.write(path, e.getValue());
                continue;
            }
            byte[] durable = tracked.durable;
            if (!Files.exists(path)) {
                if (durable != null) {
                    Files.createDirectories(path.getParent());
                    Files.write(path, durable);
                }
                continue;
            }
            if (durable == null && random.nextBoolean()) {
                Files.delete(path);
                continue;
            }
            byte[] base = durable == null ? new byte[0] : durable;
            byte[] current = Files.readAllBytes(path);
            int size = base.length;
            byte[] after = new byte[Math.max(base.length, current.length)];
            System.arraycopy(base, 0, after, 0, base.length);
            for (int page = 0; page * PAGE < current.length; page++) {
                int from = page * PAGE;
                int to = Math.min(current.length, from + PAGE);
                if (random.nextBoolean()) {
                    System.arraycopy(current, from, after, from, to - from);
                    size = Math.max(size, to);
                }
            }
            byte[] result = new byte[size];
            System.arraycopy(after, 0, result, 0, size);
            Files.write(path, result);
        }
    }

    private final class Channel extends DelegatingFileChannel {
        private final Path path;
        private final Tracked tracked;

        Channel(FileChannel delegate, Path path, Tracked tracked) {
            super(delegate);
            this.path = path;
            this.tracked = tracked;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            delegate.force(metaData);
            forced(path, tracked);
        }
    }
}
