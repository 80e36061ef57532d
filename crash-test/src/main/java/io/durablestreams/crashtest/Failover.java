package io.durablestreams.crashtest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.ToIntFunction;

/**
 * A client failing over between the two nodes: one request goes to a node, and while its outcome is
 * unknown — a connection error, a timeout, {@code 503} — the very same request goes to the other
 * node, and back, until one answers anything else. Safe only for requests whose repetition the
 * protocol makes harmless (idempotent producers, {@code Stream-Seq}, PUT, DELETE, reads), and the
 * caller must read a "duplicate" answer ({@code 204} to a producer, {@code 409} to a
 * {@code Stream-Seq}, {@code 200} to a PUT, {@code 404} to a DELETE) as success exactly when
 * {@link Outcome#mayHaveLanded()}.
 */
final class Failover {
    /** Backoff once both nodes failed in a row, doubling from this: {@value} ms ... */
    private static final long MIN_BACKOFF_MS = 50;
    /** ... up to this: {@value} ms. */
    private static final long MAX_BACKOFF_MS = 1000;

    /** Where attempts go: node {@code i} of {@link Cluster#SIZE}. */
    interface Nodes {
        Http node(int i);
    }

    /** One attempt of the request on one node. */
    interface Call<T> {
        T send(Http node) throws IOException, InterruptedException;
    }

    /**
     * The definite answer, or none ({@code response} null, {@code lastFailure} says why) when
     * {@code patience} ran out.
     *
     * @param failovers     how many times the request was sent again (to the other node)
     * @param mayHaveLanded whether an earlier attempt may have reached a node and been applied
     * @param node          the node that answered
     */
    record Outcome<T>(T response, int status, int failovers, boolean mayHaveLanded, int node, String lastFailure) {
        boolean answered() {
            return response != null;
        }
    }

    private Failover() {
    }

    static Outcome<HttpResponse<byte[]>> send(Nodes nodes, int firstNode, Call<HttpResponse<byte[]>> call, Duration patience)
            throws InterruptedException {
        return send(nodes, firstNode, call, HttpResponse::statusCode, patience);
    }

    /** A whole read ({@link Http#readAll}), started again from the beginning on the other node. */
    static Outcome<Http.Read> read(Nodes nodes, int firstNode, String name, Duration patience) throws InterruptedException {
        return send(nodes, firstNode, node -> node.readAll(name), Http.Read::status, patience);
    }

    static <T> Outcome<T> send(Nodes nodes, int firstNode, Call<T> call, ToIntFunction<T> statusOf, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        int node = firstNode;
        int failures = 0;
        boolean mayHaveLanded = false;
        String lastFailure = null;
        while (true) {
            try {
                T r = call.send(nodes.node(node));
                int status = statusOf.applyAsInt(r);
                if (status != 503) {
                    return new Outcome<>(r, status, failures, mayHaveLanded, node, lastFailure);
                }
                // "unavailable": the node's database may have committed the write before its answer was lost
                mayHaveLanded = true;
                lastFailure = "503 from node " + (node + 1);
            } catch (ConnectException | HttpConnectTimeoutException e) {
                lastFailure = "node " + (node + 1) + ": " + e; // never reached the node
            } catch (IOException e) {
                mayHaveLanded = true;
                lastFailure = "node " + (node + 1) + ": " + e;
            }
            failures++;
            if (System.nanoTime() >= deadline) {
                return new Outcome<>(null, -1, failures, mayHaveLanded, node, lastFailure);
            }
            if (failures % Cluster.SIZE == 0) {
                Thread.sleep(Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(10, failures / Cluster.SIZE - 1)));
            }
            node = (node + 1) % Cluster.SIZE;
        }
    }
}
