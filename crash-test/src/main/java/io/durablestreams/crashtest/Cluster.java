package io.durablestreams.crashtest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Two {@code ds serve --store postgres} nodes on one database, as child processes on free ports.
 * A node killed with {@link #kill(int)} is started again by {@link #restart(int)} on a new port;
 * {@link #node(int)} always gives the current one, so threads that keep a node's index, not its
 * {@link Http}, follow restarts.
 */
final class Cluster implements Failover.Nodes, AutoCloseable {
    static final int SIZE = 2;

    private final List<String> command;
    private final Path logDir;
    private final AtomicReferenceArray<ServerProcess> processes = new AtomicReferenceArray<>(SIZE);
    private final AtomicReferenceArray<Http> nodes = new AtomicReferenceArray<>(SIZE);

    private Cluster(List<String> command, Path logDir) {
        this.command = command;
        this.logDir = logDir;
    }

    /**
     * Starts both nodes: {@code launcher} is the command that runs {@code ds} (the {@code ./ds}
     * script, or java with a class path and the main class), {@code flags} are extra serve flags.
     * Node {@code i} logs to {@code logDir/node<i+1>.log}, across restarts.
     */
    static Cluster start(List<String> launcher, String postgresUrl, List<String> flags, Path logDir)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("serve", "--host", "127.0.0.1", "--port", "0", "--store", "postgres", "--postgres-url", postgresUrl));
        command.addAll(flags);
        Cluster c = new Cluster(List.copyOf(command), logDir);
        try {
            for (int i = 0; i < SIZE; i++) {
                c.restart(i);
            }
        } catch (IOException | InterruptedException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The node's current client. */
    @Override
    public Http node(int i) {
        return nodes.get(i);
    }

    ServerProcess process(int i) {
        return processes.get(i);
    }

    /** SIGKILL to node {@code i}'s JVM; its {@link Http} keeps pointing at the dead port until {@link #restart(int)}. */
    void kill(int i) throws InterruptedException {
        processes.get(i).kill();
    }

    /** Starts node {@code i} (again: after {@link #kill(int)}, on a new port). */
    void restart(int i) throws IOException, InterruptedException {
        ServerProcess p = ServerProcess.start(command, logDir.resolve("node" + (i + 1) + ".log"));
        processes.set(i, p);
        nodes.set(i, new Http(p.baseUrl));
    }

    /** SIGTERM to both nodes. */
    @Override
    public void close() throws InterruptedException {
        for (int i = 0; i < SIZE; i++) {
            ServerProcess p = processes.get(i);
            if (p != null) {
                p.stop();
            }
        }
    }
}
