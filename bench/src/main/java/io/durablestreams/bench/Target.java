package io.durablestreams.bench;

import io.durablestreams.bench.http.HttpLoadClient;
import java.net.URI;

/**
 * The server under test.
 *
 * @param base where requests go (one node, or a load balancer in front of several)
 * @param nodeB a second node of the same cluster, for scenarios that write on one node and read on
 *     another; {@code base} itself when the server is one process
 * @param pid the server's process, for RSS sampling
 * @param scale multiplies message and connection counts (1 = the full benchmark; smaller to test the tooling)
 */
public record Target(String name, URI base, URI nodeB, long pid, double scale) {
    /** {@code count} scaled, never below {@code min}. */
    public int scaled(int count, int min) {
        return Math.max(min, (int) Math.round(count * scale));
    }

    public HttpLoadClient client() {
        return new HttpLoadClient(base, 1);
    }

    /** A client of {@link #nodeB()}. */
    public HttpLoadClient clientOfNodeB() {
        return new HttpLoadClient(nodeB, 1);
    }

    /** A stream name unique to this run, so repeated runs never see each other's data. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }

    public Rss rss() {
        return new Rss(pid);
    }
}
