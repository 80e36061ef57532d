package io.durablestreams.store.file;

import java.nio.file.Path;

/**
 * Every file and directory name of the store, in one place (the layout is described in
 * ARCHITECTURE.md ("The file store")). Stream names never appear in paths: a stream's directory is named by its
 * incarnation id, and its name lives inside {@code stream.meta}.
 *
 * <pre>
 * DATA_DIR/
 *   lock                    held (flock) by the running server, so two cannot share a directory
 *   store.meta              incarnation high-water mark (sealed blob)
 *   catalog                 every stream's descriptor and checkpoint, written at clean shutdown
 *   clean-shutdown          present iff the catalog is complete and nothing changed after it
 *   streams/
 *     0000000000000/        shard: incarnation / {@value #STREAMS_PER_SHARD}, 13 hex digits
 *       0000000000000001/   one stream incarnation, 16 hex digits
 *         stream.meta       descriptor (sealed blob), written once at creation
 *         checkpoint        latest per-stream checkpoint (sealed blob), optional
 *         00000000000000000000.data   payload bytes from position 0 (20-digit base position)
 *         00000000000000000000.log    records describing those bytes
 *       0000000000000002.deleted/     tombstone: renamed before its files are removed
 * </pre>
 */
final class StoreFiles {
    /** Stream directories per shard directory: {@value}. */
    static final long STREAMS_PER_SHARD = 4096;
    /** Digits of a zero-padded segment base position in a file name: {@value}. */
    static final int POSITION_DIGITS = 20;

    static final String LOCK = "lock";
    static final String STORE_META = "store.meta";
    static final String CATALOG = "catalog";
    static final String CLEAN_SHUTDOWN = "clean-shutdown";
    static final String STREAMS = "streams";
    static final String STREAM_META = "stream.meta";
    static final String CHECKPOINT = "checkpoint";
    static final String DATA_SUFFIX = ".data";
    static final String LOG_SUFFIX = ".log";
    static final String DELETED_SUFFIX = ".deleted";
    static final String TEMP_SUFFIX = ".tmp";

    private StoreFiles() {}

    static Path streamsDir(Path root) {
        return root.resolve(STREAMS);
    }

    static Path shardDir(Path root, long incarnation) {
        return streamsDir(root).resolve(String.format("%013x", incarnation / STREAMS_PER_SHARD));
    }

    static Path streamDir(Path root, long incarnation) {
        return shardDir(root, incarnation).resolve(String.format("%016x", incarnation));
    }

    /** The incarnation a stream directory name encodes, or -1 if it is not one. */
    static long incarnationOf(String dirName) {
        if (dirName.length() != 16) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(dirName, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String segmentName(long basePosition, String suffix) {
        String digits = Long.toString(basePosition);
        return "0".repeat(POSITION_DIGITS - digits.length()) + digits + suffix;
    }

    /** The base position a segment file name encodes, or -1 if it is not a segment of that kind. */
    static long baseOf(String fileName, String suffix) {
        if (!fileName.endsWith(suffix) || fileName.length() != POSITION_DIGITS + suffix.length()) {
            return -1;
        }
        try {
            return Long.parseLong(fileName.substring(0, POSITION_DIGITS));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static Path dataFile(Path streamDir, long base) {
        return streamDir.resolve(segmentName(base, DATA_SUFFIX));
    }

    static Path logFile(Path streamDir, long base) {
        return streamDir.resolve(segmentName(base, LOG_SUFFIX));
    }
}
