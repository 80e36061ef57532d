package io.durablestreams.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A small file written whole and replaced atomically: {@code store.meta}, {@code stream.meta},
 * {@code checkpoint}, {@code catalog} and control records. Big-endian layout:
 *
 * <pre>
 * offset  size  field
 *  0      4     MAGIC         identifies the kind of file
 *  4      2     VERSION       {@value #VERSION} (1 is still read: bodies before retention)
 *  6      4     BODY_LENGTH   n
 * 10      n     BODY          see {@link MetaCodec}
 * 10+n    4     CRC           CRC32C of bytes [0, 10+n)
 * </pre>
 *
 * A blob whose CRC, magic or version does not match is treated as absent: every blob is either
 * rebuildable (checkpoint, catalog) or written before its stream could be acknowledged (meta).
 */
final class SealedBlob {
    /** Version 2: stream descriptors and checkpoints carry retention (see {@link MetaCodec}). */
    static final short VERSION = 2;
    static final int STORE_MAGIC = 0x44535354;      // "DSST"
    static final int STREAM_MAGIC = 0x4453534d;     // "DSSM"
    static final int CHECKPOINT_MAGIC = 0x44534350; // "DSCP"
    static final int CATALOG_MAGIC = 0x44534341;    // "DSCA"
    static final int CONTROL_MAGIC = 0x4453434b;    // "DSCK"
    private static final int HEADER_LENGTH = 10;
    private static final int CRC_LENGTH = 4;

    private SealedBlob() {}

    static byte[] seal(int magic, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH + body.length + CRC_LENGTH);
        b.putInt(magic).putShort(VERSION).putInt(body.length).put(body);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, HEADER_LENGTH + body.length);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** A blob's body and the version it was written with. */
    record Body(short version, byte[] bytes) {}

    /** The body of the blob at {@code file}, or null when it is missing, torn or of another kind. */
    static byte[] read(Path file, int magic) throws IOException {
        Body b = readVersioned(file, magic);
        return b == null ? null : b.bytes();
    }

    /** The body of the blob at {@code file} with its version, or null when it is missing, torn or of another kind. */
    static Body readVersioned(Path file, int magic) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (all.length < HEADER_LENGTH + CRC_LENGTH) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        int bodyLength = b.getInt(6);
        short version = b.getShort(4);
        if (b.getInt(0) != magic || version < 1 || version > VERSION || bodyLength != all.length - HEADER_LENGTH - CRC_LENGTH) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, HEADER_LENGTH + bodyLength);
        if ((int) crc.getValue() != b.getInt(HEADER_LENGTH + bodyLength)) {
            return null;
        }
        byte[] body = new byte[bodyLength];
        System.arraycopy(all, HEADER_LENGTH, body, 0, bodyLength);
        return new Body(version, body);
    }

    /**
     * Replaces {@code file} atomically: 1. write {@code file.tmp} and force it (if we crash here,
     * the old file is intact and the temp file is ignored); 2. rename over {@code file} (if we
     * crash here, either the old or the new file is visible, both whole); 3. if
     * {@code syncDirectory}, force the directory so the new name is durable.
     */
    static void writeAtomically(Path file, int magic, byte[] body, boolean syncDirectory) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + StoreFiles.TEMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(seal(magic, body));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(false);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (syncDirectory) {
            Fsync.directory(file.getParent());
        }
    }
}
