package io.durablestreams.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty reports a leaked buffer, instead of only logging it. Registered for every
 * test of this module (META-INF/services, with extension auto-detection on in
 * junit-platform.properties). After each test it collects garbage and allocates a few tracked
 * buffers, which is when Netty's detector looks for leaked ones; a leak found late fails the test
 * that happens to run then, and its report names where the buffer was created and last touched.
 */
public final class NettyLeakCheck implements BeforeAllCallback, AfterEachCallback {
    /** GC rounds before concluding there is no leak to report; each is cheap when nothing leaked. */
    private static final int ROUNDS = 3;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!RecordingLeakDetector.class.getName().equals(System.getProperty("io.netty.customResourceLeakDetector"))
                || ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new IllegalStateException("tests must run with -Dio.netty.leakDetection.level=paranoid and "
                    + "-Dio.netty.customResourceLeakDetector=" + RecordingLeakDetector.class.getName());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        List<String> leaks = collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s):\n" + String.join("\n\n", leaks));
        }
    }

    /** Leak reports of buffers that are garbage now; forgotten once returned. */
    static List<String> collect() throws InterruptedException {
        for (int i = 0; i < ROUNDS; i++) {
            System.gc();
            Thread.sleep(10); // lets the reference handler enqueue what the collection found
            for (var alloc : List.of(UnpooledByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT)) {
                ByteBuf probe = alloc.directBuffer(1); // tracking a new buffer reports the leaked ones
                probe.release();
                probe = alloc.heapBuffer(1);
                probe.release();
            }
        }
        return RecordingLeakDetector.drain();
    }
}
