package io.durablestreams.server;

import java.lang.management.ManagementFactory;

/** The process's open-file limit (RLIMIT_NOFILE), which sockets and the store's files share. */
final class OpenFileLimit {
    private OpenFileLimit() {}

    /** The limit in force (the JVM raises the soft limit to the hard one at startup on Linux), or -1 if unknown. */
    static long current() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                return unix.getMaxFileDescriptorCount();
            }
        } catch (LinkageError | RuntimeException e) {
            // not a HotSpot-compatible JVM or no jdk.management module: the caller falls back
        }
        return -1;
    }
}
