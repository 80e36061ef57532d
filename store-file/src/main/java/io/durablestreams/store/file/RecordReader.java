package io.durablestreams.store.file;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the frames of one record log in order, through a window so that small records do not
 * cost a syscall each. Not thread-safe.
 */
final class RecordReader {
    /** Bytes read from the file at a time: {@value}. */
    private static final int WINDOW_BYTES = 256 * 1024;

    private final FileChannel channel;
    private final long limit;
    private long offset;
    private byte[] window = new byte[0];
    private long windowStart;

    /** Reads frames in {@code [offset, limit)} of {@code channel}. */
    RecordReader(FileChannel channel, long offset, long limit) {
        this.channel = channel;
        this.offset = offset;
        this.limit = limit;
    }

    /** Offset of the next frame (after the last one returned). */
    long offset() {
        return offset;
    }

    /** The next record, or null when the reader reached its limit exactly. */
    LogRecord next() throws IOException, RecordFormat.CorruptFrameException {
        if (offset == limit) {
            return null;
        }
        long left = limit - offset;
        if (left < RecordFormat.FRAME_LENGTH_LENGTH) {
            throw new RecordFormat.CorruptFrameException("torn frame header: " + left + " bytes left");
        }
        int length = ByteBuffer.wrap(bytes(offset, RecordFormat.FRAME_LENGTH_LENGTH)).getInt((int) (offset - windowStart));
        if (length < RecordFormat.HEADER_LENGTH || length > RecordFormat.MAX_FRAME_LENGTH) {
            throw new RecordFormat.CorruptFrameException("frame length " + length + " outside ["
                    + RecordFormat.HEADER_LENGTH + ", " + RecordFormat.MAX_FRAME_LENGTH + "]");
        }
        if (length > left) {
            throw new RecordFormat.CorruptFrameException("torn frame: length " + length + ", " + left + " bytes left");
        }
        byte[] frame = new byte[length];
        System.arraycopy(bytes(offset, length), (int) (offset - windowStart), frame, 0, length);
        LogRecord r = RecordFormat.decode(frame, length);
        offset += length;
        return r;
    }

    /** The window, positioned so that it holds {@code [at, at + n)}. */
    private byte[] bytes(long at, int n) throws IOException {
        if (at >= windowStart && at + n <= windowStart + window.length) {
            return window;
        }
        int size = (int) Math.min(Math.max(n, WINDOW_BYTES), limit - at);
        byte[] w = new byte[size];
        ByteBuffer b = ByteBuffer.wrap(w);
        while (b.hasRemaining()) {
            if (channel.read(b, at + b.position()) < 0) {
                throw new EOFException("record log ends at " + (at + b.position()) + ", before " + (at + size));
            }
        }
        window = w;
        windowStart = at;
        return window;
    }
}
