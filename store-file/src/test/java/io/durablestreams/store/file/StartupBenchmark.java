package io.durablestreams.store.file;

import io.durablestreams.engine.store.ProducerTuple;
import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.engine.store.StreamDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Measures how long {@link FileStorage} takes to become ready with many streams, after a clean
 * shutdown (catalog only) and after a crash (every stream directory checked from its checkpoint).
 * The streams are written directly in the on-disk format, without fsync, because creating them
 * through the store would cost several fsyncs each and measure the disk rather than startup.
 *
 * <p>Run: {@code java -cp <test classpath> io.durablestreams.store.file.StartupBenchmark DIR [STREAMS]}
 */
public final class StartupBenchmark {
    /** Streams generated when no count is given: {@value}. */
    private static final int DEFAULT_STREAMS = 100_000;

    private StartupBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int streams = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_STREAMS;
        long t0 = System.nanoTime();
        generate(dir, streams);
        System.out.printf("generated %d streams in %d ms%n", streams, (System.nanoTime() - t0) / 1_000_000);
        System.out.printf("clean start:   %d streams ready in %d ms%n", streams, timeOpen(dir, true));
        Files.delete(dir.resolve(StoreFiles.CLEAN_SHUTDOWN));
        System.out.printf("crashed start: %d streams ready in %d ms%n", streams, timeOpen(dir, false));
    }

    /** Milliseconds from constructing the store to having every stream recovered. */
    static long timeOpen(Path dir, boolean closeCleanly) {
        long t0 = System.nanoTime();
        FileStorage store = new FileStorage(FileStoreConfig.defaults(dir));
        List<RecoveredStream> recovered = store.recover();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (recovered.isEmpty()) {
            throw new IllegalStateException("nothing recovered from " + dir);
        }
        if (closeCleanly) {
            store.close();
        } else {
            store.abandon();
        }
        return ms;
    }

    /** Writes {@code count} streams of one producer append each, a catalog and the clean-shutdown marker. */
    static void generate(Path dir, int count) throws IOException {
        List<MetaCodec.Entry> entries = new ArrayList<>(count);
        for (long inc = 1; inc <= count; inc++) {
            StreamDescriptor d = new StreamDescriptor("bench/stream-" + inc, inc, "application/json", null, null, null, null,
                    1_000L, null, 0, 0, null, 0, false, null, null, 0, -1);
            Path streamDir = StoreFiles.streamDir(dir, inc);
            Files.createDirectories(streamDir);
            Files.write(streamDir.resolve(StoreFiles.STREAM_META), SealedBlob.seal(SealedBlob.STREAM_MAGIC, MetaCodec.descriptor(d)));
            byte[] payload = ("{\"n\":" + inc + "},").getBytes(StandardCharsets.UTF_8);
            CRC32C crc = new CRC32C();
            crc.update(payload);
            ByteBuffer frame = RecordFormat.encode(RecordFormat.TYPE_APPEND, 0, payload.length, (int) crc.getValue(),
                    new int[] {payload.length}, new ProducerTuple("p", 0, 0), null, false);
            Files.write(StoreFiles.dataFile(streamDir, 0), payload);
            Files.write(StoreFiles.logFile(streamDir, 0), frame.array());
            WriterState state = new WriterState(0, -1);
            state.producers.put("p", new long[] {0, 0});
            entries.add(new MetaCodec.Entry(d, new Checkpoint(payload.length, 0, frame.limit(), 1_000L, state)));
        }
        Files.write(dir.resolve(StoreFiles.STORE_META), SealedBlob.seal(SealedBlob.STORE_MAGIC, MetaCodec.storeMeta(count)));
        Files.write(dir.resolve(StoreFiles.CATALOG), SealedBlob.seal(SealedBlob.CATALOG_MAGIC, MetaCodec.catalog(entries, entries.size())));
        Files.createFile(dir.resolve(StoreFiles.CLEAN_SHUTDOWN));
    }
}
