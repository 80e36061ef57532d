package io.durablestreams.engine.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Stored bytes that lie in one file: what a transport needs to send them without copying them
 * through user space ({@code sendfile}). The bytes are immutable: they are below the stream's
 * acknowledged tail.
 */
public record FileSlice(Path file, long position, long length) {
    /** The bytes, read into memory (for transports that cannot send files directly). */
    public ByteBuffer read() {
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(length));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (out.hasRemaining()) {
                if (ch.read(out, position + out.position()) < 0) {
                    throw new IOException("end of file at byte " + (position + out.position()) + " of " + file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + this, e);
        }
        return out.flip();
    }
}
