package io.durablestreams.bench.probe;

import io.durablestreams.bench.MachineLoad;
import io.durablestreams.bench.Results;
import io.durablestreams.bench.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The loopback's floor: the round trip of one byte over TCP (the least any request/response can
 * cost) and the bulk throughput of one connection (the most a catch-up read can reach).
 */
public final class LoopbackProbe {
    private static final int ROUND_TRIPS = 20_000;
    private static final long BULK_BYTES = 2L << 30;
    private static final int BUFFER = 1 << 20;

    private LoopbackProbe() {}

    public static void run(Results out) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> serve(server), "loopback-peer");
            peer.setDaemon(true);
            peer.start();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                s.setTcpNoDelay(true);
                roundTrips(s, out);
                bulk(s, out);
            }
            peer.join();
        }
    }

    private static void roundTrips(Socket s, Results out) throws IOException {
        OutputStream o = s.getOutputStream();
        InputStream in = s.getInputStream();
        Samples rtt = new Samples();
        for (int i = -ROUND_TRIPS / 4; i < ROUND_TRIPS; i++) {
            long t0 = System.nanoTime();
            o.write('p');
            if (in.read() != 'p') {
                throw new IOException("bad echo");
            }
            if (i >= 0) {
                rtt.add(System.nanoTime() - t0);
            }
        }
        MachineLoad.log("loopback: 1-byte TCP round trip p50 %.1f us p99 %.1f us", rtt.percentileMs(50) * 1e3,
                rtt.percentileMs(99) * 1e3);
        out.add("loopback.tcp_rtt_p50_ms", rtt.percentileMs(50));
        out.add("loopback.tcp_rtt_p99_ms", rtt.percentileMs(99));
    }

    private static void bulk(Socket s, Results out) throws IOException {
        OutputStream o = s.getOutputStream();
        o.write('b');
        byte[] buf = new byte[BUFFER];
        long t0 = System.nanoTime();
        for (long sent = 0; sent < BULK_BYTES; sent += BUFFER) {
            o.write(buf);
        }
        s.shutdownOutput();
        if (s.getInputStream().read() != 'd') {
            throw new IOException("peer did not confirm the bulk transfer");
        }
        double mbs = BULK_BYTES / 1e6 / ((System.nanoTime() - t0) / 1e9);
        MachineLoad.log("loopback: one TCP connection moves %.0f MB/s", mbs);
        out.add("loopback.tcp_mb_s", mbs);
    }

    /** Echoes single bytes until a 'b', then drains the bulk transfer and confirms it. */
    private static void serve(ServerSocket server) {
        try (Socket s = server.accept()) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream o = s.getOutputStream();
            int c;
            while ((c = in.read()) == 'p') {
                o.write(c);
            }
            byte[] buf = new byte[BUFFER];
            while (in.read(buf) >= 0) {
                // Drained: only the byte count matters, and the sender times it.
            }
            o.write('d');
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
