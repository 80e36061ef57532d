package io.durablestreams.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The open data and record files, bounded by an LRU. A handle is pinned while someone uses it
 * (a read, a write, or dirty bytes waiting for the sync thread) and only unpinned handles are
 * closed, so a channel is never closed under a reader or before its bytes were forced.
 *
 * <p>Thread-safe. Files are opened outside the cache's monitor, so a slow {@code open} (or one
 * held by a test) delays only its caller; two callers racing to open the same file keep the first
 * channel and close the other.
 */
final class FileHandles implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FileHandles.class.getName());

    /** An open channel and its pin count (guarded by the cache's monitor). */
    static final class Handle {
        final Path path;
        final FileChannel channel;
        private int pins;
        private boolean retired;

        private Handle(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }
    }

    private final ChannelOpener opener;
    private final int maxOpenFiles;
    private final LinkedHashMap<Path, Handle> open = new LinkedHashMap<>(64, 0.75f, true);
    private boolean closed;

    FileHandles(ChannelOpener opener, int maxOpenFiles) {
        this.opener = opener;
        this.maxOpenFiles = maxOpenFiles;
    }

    /** The handle of {@code path}, opened (and created if missing) for reading and writing, pinned. */
    Handle pin(Path path) throws IOException {
        synchronized (this) {
            checkOpen(path);
            Handle h = open.get(path);
            if (h != null) {
                h.pins++;
                return h;
            }
        }
        FileChannel channel = opener.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Handle h;
        synchronized (this) {
            try {
                checkOpen(path);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            h = open.get(path);
            if (h == null) {
                h = new Handle(path, channel);
                open.put(path, h);
                channel = null;
            }
            h.pins++;
            evictIdle();
        }
        if (channel != null) {
            channel.close(); // another caller opened it meanwhile
        }
        return h;
    }

    private void checkOpen(Path path) throws IOException {
        if (closed) {
            throw new IOException("file store is closed; cannot open " + path);
        }
    }

    synchronized void unpin(Handle h) {
        h.pins--;
        if (h.pins == 0 && h.retired) {
            closeQuietly(h);
        }
        evictIdle();
    }

    /** Closes the handles of files under {@code dir} (a deleted stream); pinned ones close when unpinned. */
    synchronized void retireAll(Path dir) {
        for (Iterator<Handle> it = open.values().iterator(); it.hasNext(); ) {
            Handle h = it.next();
            if (h.path.startsWith(dir)) {
                it.remove();
                h.retired = true;
                if (h.pins == 0) {
                    closeQuietly(h);
                }
            }
        }
    }

    /** Closes the handle of {@code file} (a segment retention frees); a pinned one closes when unpinned. */
    synchronized void retire(Path file) {
        Handle h = open.remove(file);
        if (h != null) {
            h.retired = true;
            if (h.pins == 0) {
                closeQuietly(h);
            }
        }
    }

    synchronized int openCount() {
        return open.size();
    }

    private void evictIdle() {
        if (open.size() <= maxOpenFiles) {
            return;
        }
        for (Iterator<Map.Entry<Path, Handle>> it = open.entrySet().iterator(); it.hasNext() && open.size() > maxOpenFiles; ) {
            Handle h = it.next().getValue();
            if (h.pins == 0) {
                it.remove();
                closeQuietly(h);
            }
        }
    }

    private static void closeQuietly(Handle h) {
        try {
            h.channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + h.path + " failed", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        open.values().forEach(FileHandles::closeQuietly);
        open.clear();
    }
}
