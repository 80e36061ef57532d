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
 * The disk's floor for a durable append on the data-dir filesystem: a 100-byte write followed by
 * fdatasync ({@code FileChannel.force(false)}), and the same into two files forced one after the
 * other, which is what our file store does per append (payload in {@code .data}, record in {@code .log}).
 */
public final class DiskProbe {
    private static final int SYNCS = 2_000;

    private DiskProbe() {}

    public static void run(Path dir, Results out) throws IOException {
        Path a = Files.createTempFile(dir, "fdatasync-probe", ".data");
        Path b = Files.createTempFile(dir, "fdatasync-probe", ".log");
        try (FileChannel data = open(a); FileChannel log = open(b)) {
            Samples one = measure(data, null);
            Samples two = measure(data, log);
            MachineLoad.log("disk: 100-byte write + fdatasync p50 %.3f ms p99 %.3f ms; two files p50 %.3f ms",
                    one.percentileMs(50), one.percentileMs(99), two.percentileMs(50));
            out.add("disk.fdatasync_p50_ms", one.percentileMs(50));
            out.add("disk.fdatasync_p99_ms", one.percentileMs(99));
            out.add("disk.fdatasync_two_files_p50_ms", two.percentileMs(50));
        } finally {
            Files.deleteIfExists(a);
            Files.deleteIfExists(b);
        }
    }

    private static FileChannel open(Path p) throws IOException {
        return FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** Write + fdatasync of {@code first}, then of {@code second} when given; a quarter of warm-up. */
    private static Samples measure(FileChannel first, FileChannel second) throws IOException {
        ByteBuffer record = ByteBuffer.allocate(100);
        Samples s = new Samples();
        for (int i = -SYNCS / 4; i < SYNCS; i++) {
            long t0 = System.nanoTime();
            first.write(record.clear());
            first.force(false);
            if (second != null) {
                second.write(record.clear());
                second.force(false);
            }
            if (i >= 0) {
                s.add(System.nanoTime() - t0);
            }
        }
        return s;
    }
}
