package io.durablestreams.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock on {@code DATA_DIR/lock} that keeps two servers out of one data directory. Taken before
 * the store reads or writes anything, held until the store closes.
 */
final class DataDirectoryLock implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DataDirectoryLock.class.getName());

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code root} if needed and locks it.
     *
     * @throws DataDirectoryException if another process (or another store in this JVM) holds the
     *                                lock, or the directory cannot be created or locked
     */
    static DataDirectoryLock acquire(Path root) {
        Path file = root.resolve(StoreFiles.LOCK);
        FileChannel channel = null;
        try {
            if (Files.exists(root) && !Files.isDirectory(root)) {
                throw new NotDirectoryException(root.toString());
            }
            Files.createDirectories(root);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new DataDirectoryLock(channel, lock);
            }
        } catch (OverlappingFileLockException e) {
            // held by another store in this JVM: the same situation as another process holding it
        } catch (IOException e) {
            closeQuietly(channel);
            throw DataDirectoryException.unusable(root, e);
        }
        closeQuietly(channel);
        throw DataDirectoryException.inUse(root, file);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "releasing the data directory lock failed", e);
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the data directory lock file failed", e);
            }
        }
    }
}
