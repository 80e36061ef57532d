package io.durablestreams.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/** A FileChannel that fails writes or forces on demand (see {@link Faults}). */
final class FaultyChannel extends FileChannel {
    /** Switches shared by every channel a {@link #opener} opened. */
    static final class Faults {
        volatile IOException onWrite;
        volatile IOException onForce;
        /** Bytes a failing write still writes before it throws (a torn write). */
        volatile int tornBytes;
    }

    static ChannelOpener opener(Faults faults) {
        return (Path path, OpenOption... options) -> new FaultyChannel(FileChannel.open(path, options), faults);
    }

    private final FileChannel delegate;
    private final Faults faults;

    private FaultyChannel(FileChannel delegate, Faults faults) {
        this.delegate = delegate;
        this.faults = faults;
    }

    private int maybeFail(ByteBuffer src, long position) throws IOException {
        IOException e = faults.onWrite;
        if (e == null) {
            return -1;
        }
        int n = Math.min(faults.tornBytes, src.remaining());
        if (n > 0) {
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + n);
            delegate.write(part, position);
        }
        throw e;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        maybeFail(src, position);
        return delegate.write(src, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        maybeFail(src, delegate.position());
        return delegate.write(src);
    }

    @Override
    public void force(boolean metaData) throws IOException {
        IOException e = faults.onForce;
        if (e != null) {
            throw e;
        }
        delegate.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (faults.onWrite != null) {
            throw faults.onWrite;
        }
        return delegate.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
