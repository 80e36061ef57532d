package io.durablestreams.bench.scenario;

import io.durablestreams.bench.MachineLoad;
import io.durablestreams.bench.Results;
import io.durablestreams.bench.Rss;
import io.durablestreams.bench.Scenario;
import io.durablestreams.bench.Target;
import io.durablestreams.bench.http.HttpConnection;
import io.durablestreams.bench.http.HttpLoadClient;
import io.durablestreams.bench.http.HttpResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Scenario 4: catch-up reads that follow {@code Stream-Next-Offset} from the start until
 * {@code Stream-Up-To-Date}: a 100 MiB binary stream by one reader and by 4 concurrent readers (while
 * sampling the server's RSS), and a JSON stream of 1,000,000 messages. The streams are written
 * through the target and read from its node B (the same server unless it is a cluster, where
 * readers then find nothing of the stream cached on the node they read from).
 */
public final class CatchUpRead implements Scenario {
    private static final int RUNS = 5;
    private static final int CONCURRENT_READERS = 4;
    private static final int MIB = 1 << 20;

    @Override
    public String id() {
        return "s4";
    }

    @Override
    public void run(Target target, Results out) throws Exception {
        try (HttpLoadClient writes = target.client(); HttpLoadClient reads = target.clientOfNodeB()) {
            HttpConnection writer = writes.connect().join();
            String big = Target.uniqueName("s4-big");
            StreamOps.create(writer, big, StreamOps.BINARY);
            int mib = target.scaled(100, 2);
            byte[] chunk = StreamOps.filler(MIB);
            for (int i = 0; i < mib; i++) {
                StreamOps.append(writer, big, chunk, StreamOps.BINARY);
            }
            long expected = (long) mib * MIB;
            // each part on its own: a store that fails one (e.g. a server answering 503) still gets the others measured
            part(out, "s4.one_reader", () -> oneReader(reads, big, expected, out));
            part(out, "s4.four_readers", () -> concurrentReaders(reads, big, expected, target.rss(), out));
            millionMessages(target, reads, writer, out);
        }
    }

    @FunctionalInterface
    private interface Part {
        void run() throws Exception;
    }

    /** Runs one part; a failure becomes the note {@code <metric>_error}, which the report shows on the part's rows. */
    private static void part(Results out, String metric, Part part) throws InterruptedException {
        try {
            part.run();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            MachineLoad.log("%s: FAILED %s", metric, e);
            out.note(metric + "_error", String.valueOf(e.getMessage()));
        }
    }

    private static void oneReader(HttpLoadClient client, String stream, long expected, Results out) {
        HttpConnection reader = client.connect().join();
        readAll(reader, stream, expected);
        Results.RunSet runs = out.runSet();
        for (int run = 0; run < RUNS; run++) {
            long t0 = System.nanoTime();
            Read r = readAll(reader, stream, expected);
            double mbs = r.bytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
            MachineLoad.log("s4 one reader run %d: %d bytes in %d responses, %.0f MB/s", run, r.bytes, r.responses, mbs);
            runs.run(Map.of("s4.one_reader_mb_s", mbs, "s4.one_reader_responses", (double) r.responses));
        }
        runs.commit();
        reader.close();
    }

    private static void concurrentReaders(HttpLoadClient client, String stream, long expected, Rss rss, Results out)
            throws Exception {
        List<HttpConnection> readers = new ArrayList<>();
        for (int i = 0; i < CONCURRENT_READERS; i++) {
            readers.add(client.connect().join());
        }
        long baseline = rss.bytes();
        Results.RunSet runs = out.runSet();
        for (int run = 0; run < 3; run++) {
            long t0 = System.nanoTime();
            long peak;
            try (Rss.PeakSampler sampler = rss.new PeakSampler(5)) {
                List<CompletableFuture<Read>> reads = new ArrayList<>();
                for (HttpConnection c : readers) {
                    reads.add(CompletableFuture.supplyAsync(() -> readAll(c, stream, expected)));
                }
                reads.forEach(CompletableFuture::join);
                peak = sampler.peak();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double growthMib = (peak - baseline) / (double) MIB;
            double mbs = CONCURRENT_READERS * expected / 1e6 / secs;
            MachineLoad.log("s4 %d readers run %d: %.0f MB/s total, server RSS %d MiB -> peak %d MiB (growth %.1f MiB)",
                    CONCURRENT_READERS, run, mbs, baseline / MIB, peak / MIB, growthMib);
            runs.run(Map.of("s4.four_readers_mb_s", mbs, "s4.four_readers_rss_growth_mib", growthMib));
        }
        runs.commit();
        readers.forEach(HttpConnection::close);
    }

    private static void millionMessages(Target target, HttpLoadClient client, HttpConnection writer, Results out) {
        String stream = Target.uniqueName("s4-million");
        StreamOps.create(writer, stream, StreamOps.JSON);
        int perPost = 10_000;
        int messages = target.scaled(1_000_000, perPost);
        for (int first = 0; first < messages; first += perPost) {
            StreamOps.append(writer, stream, StreamOps.jsonArray(first, perPost, 100), StreamOps.JSON);
        }
        HttpConnection reader = client.connect().join();
        Results.RunSet runs = out.runSet();
        for (int run = 0; run < 3; run++) {
            long t0 = System.nanoTime();
            double complete;
            double mbs;
            try {
                Read r = readAll(reader, stream, -1);
                mbs = r.bytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
                complete = 1;
                MachineLoad.log("s4 %d messages run %d: %d bytes in %d responses, %.0f MB/s", messages, run, r.bytes,
                        r.responses, mbs);
            } catch (RuntimeException e) {
                MachineLoad.log("s4 %d messages run %d: FAILED %s", messages, run, e.getMessage());
                out.note("s4.million_error", String.valueOf(e.getMessage()));
                complete = 0;
                mbs = 0;
                reader = client.connect().join();
            }
            runs.run(Map.of("s4.million_messages_mb_s", mbs, "s4.million_messages_completed", complete));
        }
        runs.commit();
    }

    private record Read(long bytes, int responses) {}

    /** Reads from the start to the tail; {@code expected} < 0 means "whatever the tail is". */
    private static Read readAll(HttpConnection c, String stream, long expected) {
        String offset = "-1";
        long bytes = 0;
        int responses = 0;
        while (true) {
            HttpResult r = c.get(StreamOps.query(stream, offset, null), false).join();
            if (!r.ok()) {
                throw new IllegalStateException("read at offset " + offset + " after " + bytes + " bytes: HTTP " + r.status());
            }
            bytes += r.bodyBytes();
            responses++;
            offset = r.header(StreamOps.NEXT_OFFSET);
            if (r.header(StreamOps.UP_TO_DATE) != null) {
                break;
            }
        }
        if (expected >= 0 && bytes != expected) {
            throw new IllegalStateException("read " + bytes + " bytes, expected " + expected);
        }
        return new Read(bytes, responses);
    }
}
