package io.durablestreams.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** gzip for catch-up bodies. Uses the fastest level: bodies are bounded and CPU matters more than ratio. */
final class Gzip {
    private Gzip() {}

    static ByteBuf compress(ByteBufAllocator alloc, List<ByteBuffer> parts) {
        ByteBuf out = alloc.buffer();
        try (GZIPOutputStream gz = new GZIPOutputStream(new ByteBufOutputStream(out), 8192) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            byte[] chunk = new byte[8192];
            for (ByteBuffer part : parts) {
                ByteBuffer b = part.duplicate();
                while (b.hasRemaining()) {
                    int n = Math.min(chunk.length, b.remaining());
                    b.get(chunk, 0, n);
                    gz.write(chunk, 0, n);
                }
            }
        } catch (IOException e) {
            out.release();
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
