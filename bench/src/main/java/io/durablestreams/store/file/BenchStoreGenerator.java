package io.durablestreams.store.file;

import io.durablestreams.engine.store.ProducerTuple;
import io.durablestreams.engine.store.StreamDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes a file-store data directory of many streams directly in the on-disk format (ARCHITECTURE.md ("The file store")), as
 * after a clean shutdown, for the restart benchmark. Creating them through the server would cost
 * several fsyncs per stream and measure the disk, not startup; the same approach as the store's own
 * {@code StartupBenchmark}. It lives in the store's package because the format classes are
 * package-private.
 */
public final class BenchStoreGenerator {
    private BenchStoreGenerator() {}

    /** The name of the {@code i}-th generated stream (1-based). */
    public static String streamName(long i) {
        return "bench/stream-" + i;
    }

    /**
     * Writes {@code count} binary streams of one producer append of {@code bytesPerStream} bytes each,
     * the catalog and the clean-shutdown marker. Nothing is forced: the benchmark needs files, not durability.
     */
    public static void generate(Path dir, int count, int bytesPerStream) throws IOException {
        byte[] payload = new byte[bytesPerStream];
        Arrays.fill(payload, (byte) 'x');
        CRC32C crc = new CRC32C();
        crc.update(payload);
        int payloadCrc = (int) crc.getValue();
        List<MetaCodec.Entry> entries = new ArrayList<>(count);
        for (long inc = 1; inc <= count; inc++) {
            StreamDescriptor d = new StreamDescriptor(streamName(inc), inc, "application/octet-stream", null, null, null,
                    null, 1_000L, null, 0, 0, null, 0, false, null, null, 0, -1);
            Path streamDir = StoreFiles.streamDir(dir, inc);
            Files.createDirectories(streamDir);
            Files.write(streamDir.resolve(StoreFiles.STREAM_META), SealedBlob.seal(SealedBlob.STREAM_MAGIC, MetaCodec.descriptor(d)));
            ByteBuffer frame = RecordFormat.encode(RecordFormat.TYPE_APPEND, 0, payload.length, payloadCrc,
                    new int[] {payload.length}, new ProducerTuple("p", 0, 0), null, false);
            Files.write(StoreFiles.dataFile(streamDir, 0), payload);
            Files.write(StoreFiles.logFile(streamDir, 0), Arrays.copyOf(frame.array(), frame.limit()));
            WriterState state = new WriterState(0, -1);
            state.producers.put("p", new long[] {0, 0});
            entries.add(new MetaCodec.Entry(d, new Checkpoint(payload.length, 0, frame.limit(), 1_000L, state)));
        }
        Files.write(dir.resolve(StoreFiles.STORE_META), SealedBlob.seal(SealedBlob.STORE_MAGIC, MetaCodec.storeMeta(count)));
        Files.write(dir.resolve(StoreFiles.CATALOG), SealedBlob.seal(SealedBlob.CATALOG_MAGIC, MetaCodec.catalog(entries, entries.size())));
        Files.createFile(dir.resolve(StoreFiles.CLEAN_SHUTDOWN));
    }
}
