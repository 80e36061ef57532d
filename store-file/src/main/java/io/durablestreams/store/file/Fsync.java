package io.durablestreams.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Forcing things that are not open data files: directories (their entries) and one-off files. */
final class Fsync {
    private Fsync() {}

    /** Makes the entries of {@code dir} (files created, renamed or removed in it) durable. */
    static void directory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Forces a file or directory by path. */
    static void path(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(false);
        }
    }
}
