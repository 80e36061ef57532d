package io.durablestreams.bench.scenario;

import io.durablestreams.bench.MachineLoad;
import io.durablestreams.bench.Results;
import io.durablestreams.bench.Rss;
import io.durablestreams.bench.Samples;
import io.durablestreams.bench.Scenario;
import io.durablestreams.bench.Target;
import io.durablestreams.bench.http.ChunkListener;
import io.durablestreams.bench.http.HttpConnection;
import io.durablestreams.bench.http.HttpLoadClient;
import io.durablestreams.bench.http.HttpResult;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 5b: 10,000 SSE readers on one text stream. Server memory per reader is the RSS growth from
 * before connecting to after every reader has its response headers, divided by the readers. Then
 * several appends, spaced so that each is its own event; every reader's receipt of every append is
 * one latency sample (append sent → payload seen by that reader).
 */
public final class SseFanOut implements Scenario {
    /** Appends measured; sequence number 0 is a warm-up append whose deliveries are not counted. */
    private static final int APPENDS = 10;
    private static final long APPEND_SPACING_MILLIS = 300;
    private static final long OPEN_TIMEOUT_SECONDS = 120;
    /** Each payload carries {@code @@} and a 6-digit sequence number, a pattern no SSE framing produces. */
    private static final String MARK = "@@";

    @Override
    public String id() {
        return "s5sse";
    }

    @Override
    public void run(Target target, Results out) throws Exception {
        int wanted = target.scaled(10_000, 20);
        Rss rss = target.rss();
        try (HttpLoadClient client = target.client()) {
            HttpConnection writer = client.connect().join();
            String stream = Target.uniqueName("s5sse");
            StreamOps.create(writer, stream, StreamOps.TEXT);
            String tail = StreamOps.append(writer, stream, StreamOps.filler(100), StreamOps.TEXT);
            Thread.sleep(1_000);
            long before = rss.bytes();
            long[] sentNanos = new long[APPENDS + 1];
            Samples latencies = new Samples();
            List<HttpConnection> conns = new ArrayList<>();
            List<Reader> readers = new ArrayList<>();
            String openError = null;
            conns.addAll(client.connectAtMost(wanted));
            if (conns.size() < wanted) {
                openError = "connected " + conns.size() + " of " + wanted;
            }
            CountDownLatch open = new CountDownLatch(conns.size());
            for (HttpConnection c : conns) {
                Reader r = new Reader(open, sentNanos, latencies);
                readers.add(r);
                c.stream(StreamOps.query(stream, tail, "sse"), r);
            }
            if (!open.await(OPEN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                openError = (conns.size() - open.getCount()) + " of " + wanted + " SSE responses started";
            }
            int live = (int) readers.stream().filter(r -> r.status == 200).count();
            Thread.sleep(2_000);
            long after = rss.bytes();
            double perReader = live == 0 ? Double.NaN : (after - before) / (double) live;
            MachineLoad.log("s5 SSE: %d readers live, server RSS %d -> %d MiB, %.0f bytes per reader", live,
                    before >> 20, after >> 20, perReader);
            // A fresh writer: Node closes keep-alive connections idle for 5 s, as the first one was while readers connected.
            writer.close();
            writer = client.connect().join();
            Samples acks = new Samples();
            for (int seq = 0; seq <= APPENDS; seq++) {
                sentNanos[seq] = System.nanoTime();
                HttpResult ack = StreamOps.require(writer.post(HttpLoadClient.streamPath(stream), payload(seq), StreamOps.TEXT)
                        .join(), "append");
                acks.add(ack.completedNanos() - sentNanos[seq]);
                Thread.sleep(APPEND_SPACING_MILLIS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (latencies.size() < (long) live * APPENDS && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            int delivered = latencies.size();
            MachineLoad.log("s5 SSE: %d of %d deliveries, p50 %.1f ms p99 %.1f ms max %.1f ms; append ack p50 %.2f ms",
                    delivered, live * APPENDS, latencies.percentileMs(50), latencies.percentileMs(99), latencies.maxMs(),
                    acks.percentileMs(50));
            out.add("s5.sse_readers", live);
            out.add("s5.sse_server_bytes_per_reader", perReader);
            out.add("s5.sse_delivery_p50_ms", latencies.percentileMs(50));
            out.add("s5.sse_delivery_p99_ms", latencies.percentileMs(99));
            out.add("s5.sse_delivered_fraction", live == 0 ? 0 : delivered / ((double) live * APPENDS));
            out.add("s5.sse_append_ack_p50_ms", acks.percentileMs(50));
            if (openError != null) {
                out.note("s5.sse_open_error", openError);
            }
            conns.forEach(HttpConnection::close);
        }
    }

    private static byte[] payload(int seq) {
        String s = MARK + String.format("%06d", seq);
        return (s + "x".repeat(100 - s.length())).getBytes(StandardCharsets.US_ASCII);
    }

    /** Scans one SSE response for sequence marks; runs on the client's event loop. */
    private static final class Reader implements ChunkListener {
        private final CountDownLatch open;
        private final long[] sentNanos;
        private final Samples latencies;
        private final AtomicInteger highest = new AtomicInteger(-1);
        /** The end of the previous chunk, so a mark split across two chunks is still found. */
        private String carry = "";
        volatile int status;

        Reader(CountDownLatch open, long[] sentNanos, Samples latencies) {
            this.open = open;
            this.sentNanos = sentNanos;
            this.latencies = latencies;
        }

        @Override
        public void onHeaders(int status) {
            this.status = status;
            open.countDown();
        }

        @Override
        public void onChunk(ByteBuf content) {
            long now = System.nanoTime();
            String text = carry + content.toString(StandardCharsets.US_ASCII);
            int i = text.indexOf(MARK);
            while (i >= 0 && i + MARK.length() + 6 <= text.length()) {
                int seq = parse(text, i + MARK.length());
                if (seq > highest.get() && seq < sentNanos.length) {
                    highest.set(seq);
                    if (seq > 0) {
                        latencies.add(now - sentNanos[seq]);
                    }
                }
                i = text.indexOf(MARK, i + 1);
            }
            carry = text.substring(Math.max(0, text.length() - (MARK.length() + 6)));
        }

        private static int parse(String s, int from) {
            int v = 0;
            for (int k = from; k < from + 6; k++) {
                char c = s.charAt(k);
                if (c < '0' || c > '9') {
                    return -1;
                }
                v = v * 10 + (c - '0');
            }
            return v;
        }

        @Override
        public void onEnd(Throwable error) {
            if (status == 0) {
                open.countDown();
            }
        }
    }
}
