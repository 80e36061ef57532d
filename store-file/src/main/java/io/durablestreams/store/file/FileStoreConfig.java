package io.durablestreams.store.file;

import java.nio.file.Path;

/**
 * Settings of a {@link FileStorage}.
 *
 * @param dataDir              root directory of the store
 * @param fsyncPolicy          when appends are acknowledged (see {@link FsyncPolicy})
 * @param fsyncIntervalMs      period of the background sync under {@link FsyncPolicy#INTERVAL}
 * @param segmentBytes         a stream's data file rolls to a new segment once it holds this many bytes
 * @param maxOpenFiles         open file handles kept in the LRU (files pinned by in-flight I/O may exceed it briefly)
 * @param checkpointIntervalMs period of per-stream checkpoints (they bound the scan after a crash and persist access times)
 * @param journalFileBytes     preallocated length of a journal file; a checkpoint cycle starts once one is full
 * @param opener               opens every data, record and journal file
 */
public record FileStoreConfig(
        Path dataDir,
        FsyncPolicy fsyncPolicy,
        long fsyncIntervalMs,
        long segmentBytes,
        int maxOpenFiles,
        long checkpointIntervalMs,
        long journalFileBytes,
        ChannelOpener opener) {

    /** Default {@link #fsyncIntervalMs}: {@value} ms. */
    public static final long DEFAULT_FSYNC_INTERVAL_MS = 10;
    /** Default {@link #segmentBytes}: {@value} bytes (64 MiB). */
    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
    /** Default {@link #maxOpenFiles}: {@value}. */
    public static final int DEFAULT_MAX_OPEN_FILES = 1024;
    /** Default {@link #checkpointIntervalMs}: {@value} ms. */
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 30_000;
    /** Default {@link #journalFileBytes}: {@value} bytes (16 MiB, written with zeros before use). */
    public static final long DEFAULT_JOURNAL_FILE_BYTES = 16L * 1024 * 1024;

    public FileStoreConfig {
        if (fsyncIntervalMs <= 0 || segmentBytes <= 0 || maxOpenFiles < 2 || checkpointIntervalMs <= 0 || journalFileBytes <= 0) {
            throw new IllegalArgumentException("invalid file store settings: fsyncIntervalMs=" + fsyncIntervalMs
                    + " segmentBytes=" + segmentBytes + " maxOpenFiles=" + maxOpenFiles
                    + " checkpointIntervalMs=" + checkpointIntervalMs + " journalFileBytes=" + journalFileBytes);
        }
    }

    public static FileStoreConfig defaults(Path dataDir) {
        return new FileStoreConfig(dataDir, FsyncPolicy.ALWAYS, DEFAULT_FSYNC_INTERVAL_MS, DEFAULT_SEGMENT_BYTES,
                DEFAULT_MAX_OPEN_FILES, DEFAULT_CHECKPOINT_INTERVAL_MS, DEFAULT_JOURNAL_FILE_BYTES, ChannelOpener.DEFAULT);
    }

    public FileStoreConfig withFsync(FsyncPolicy policy, long intervalMs) {
        return new FileStoreConfig(dataDir, policy, intervalMs, segmentBytes, maxOpenFiles, checkpointIntervalMs, journalFileBytes, opener);
    }

    public FileStoreConfig withSegmentBytes(long bytes) {
        return new FileStoreConfig(dataDir, fsyncPolicy, fsyncIntervalMs, bytes, maxOpenFiles, checkpointIntervalMs, journalFileBytes, opener);
    }

    public FileStoreConfig withMaxOpenFiles(int files) {
        return new FileStoreConfig(dataDir, fsyncPolicy, fsyncIntervalMs, segmentBytes, files, checkpointIntervalMs, journalFileBytes, opener);
    }

    public FileStoreConfig withCheckpointIntervalMs(long intervalMs) {
        return new FileStoreConfig(dataDir, fsyncPolicy, fsyncIntervalMs, segmentBytes, maxOpenFiles, intervalMs, journalFileBytes, opener);
    }

    public FileStoreConfig withJournalFileBytes(long bytes) {
        return new FileStoreConfig(dataDir, fsyncPolicy, fsyncIntervalMs, segmentBytes, maxOpenFiles, checkpointIntervalMs, bytes, opener);
    }

    public FileStoreConfig withOpener(ChannelOpener channelOpener) {
        return new FileStoreConfig(dataDir, fsyncPolicy, fsyncIntervalMs, segmentBytes, maxOpenFiles, checkpointIntervalMs, journalFileBytes, channelOpener);
    }
}
