package io.durablestreams.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/** A FileChannel that fails writes or forces on demand (see {@link Faults}). */
final class FaultyChannel extends DelegatingFileChannel {
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

    private final Faults faults;

    private FaultyChannel(FileChannel delegate, Faults faults) {
        super(delegate);
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
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (faults.onWrite != null) {
            throw faults.onWrite;
        }
        return delegate.write(srcs, offset, length);
    }
}
