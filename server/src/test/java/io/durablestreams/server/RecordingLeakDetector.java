package io.durablestreams.server;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's leak detector, which only logs, made to remember each report instead so that
 * {@link NettyLeakCheck} can fail the test with it. Installed for the whole test JVM by
 * {@code -Dio.netty.customResourceLeakDetector} (see this module's pom): Netty creates its detectors
 * when its buffer classes load, before any test code could swap them.
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
    private static final List<String> LEAKS = new ArrayList<>();

    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /** Netty looks this older signature up too, and logs an error when it is missing. */
    @Deprecated
    @SuppressWarnings("deprecation")
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
    }

    @Override
    protected boolean needReport() {
        return true; // whatever the logging configuration says
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected.");
    }

    private static void record(String report) {
        synchronized (LEAKS) {
            LEAKS.add(report);
        }
    }

    /** The reports since the last call, which are forgotten. */
    static List<String> drain() {
        synchronized (LEAKS) {
            List<String> reports = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return reports;
        }
    }
}
