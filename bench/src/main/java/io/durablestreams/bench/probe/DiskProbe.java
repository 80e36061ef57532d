package io.durablestreams.bench.probe;

import io.durablestreams.bench.MachineLoad;
import io.durablestreams.bench.Results;
import io.durablestreams.bench.Samples;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The disk's floor for a durable append on the data-dir filesystem: a 100-byte write at the end
 * of a file followed by fdatasync ({@code FileChannel.force(false)}), as a store that syncs the
 * file it appends to does; and the same write over a zero-filled, preallocated file, as our file
 * store's journal does (its fdatasync need not commit a new file size or block allocation).
 */
public final class DiskProbe {
    private static final int SYNCS = 2_000;
    private static final int RECORD_BYTES = 100;

    private DiskProbe() {}

    public static void run(Path dir, Results out) throws IOException {
        Path a = Files.createTempFile(dir, "fdatasync-probe", ".append");
        Path b = Files.createTempFile(dir, "fdatasync-probe", ".prealloc");
        try (FileChannel appending = FileChannel.open(a, StandardOpenOption.WRITE);
             FileChannel preallocated = FileChannel.open(b, StandardOpenOption.WRITE)) {
            long bytes = (SYNCS + SYNCS / 4 + 1) * (long) RECORD_BYTES;
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            for (long at = 0; at < bytes; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - at));
                at += preallocated.write(zeros, at);
            }
            preallocated.force(true);
            Samples append = measure(appending);
            Samples overwrite = measure(preallocated);
            MachineLoad.log("disk: 100-byte write + fdatasync, appending p50 %.3f ms p99 %.3f ms; preallocated p50 %.3f ms p99 %.3f ms",
                    append.percentileMs(50), append.percentileMs(99), overwrite.percentileMs(50), overwrite.percentileMs(99));
            out.add("disk.fdatasync_p50_ms", append.percentileMs(50));
            out.add("disk.fdatasync_p99_ms", append.percentileMs(99));
            out.add("disk.fdatasync_prealloc_p50_ms", overwrite.percentileMs(50));
            out.add("disk.fdatasync_prealloc_p99_ms", overwrite.percentileMs(99));
        } finally {
            Files.deleteIfExists(a);
            Files.deleteIfExists(b);
        }
    }

    /** Consecutive 100-byte writes from the start of the file, each followed by fdatasync; a quarter of warm-up. */
    private static Samples measure(FileChannel file) throws IOException {
        ByteBuffer record = ByteBuffer.allocate(RECORD_BYTES);
        Samples s = new Samples();
        long at = 0;
        for (int i = -SYNCS / 4; i < SYNCS; i++) {
            long t0 = System.nanoTime();
            at += file.write(record.clear(), at);
            file.force(false);
            if (i >= 0) {
                s.add(System.nanoTime() - t0);
            }
        }
        return s;
    }
}
