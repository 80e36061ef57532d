package io.durablestreams.server;

import io.durablestreams.engine.store.FileSlice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/** Reads a {@link FileSlice} into memory for transports that cannot send files directly (TLS, HTTP/2, gzip). */
final class FileSlices {
    private FileSlices() {}

    static ByteBuffer read(FileSlice slice) {
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(slice.length()));
        try (FileChannel ch = FileChannel.open(slice.file(), StandardOpenOption.READ)) {
            while (out.hasRemaining()) {
                if (ch.read(out, slice.position() + out.position()) < 0) {
                    throw new IOException("end of file at byte " + (slice.position() + out.position()) + " of " + slice.file());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + slice, e);
        }
        return out.flip();
    }
}
