package io.durablestreams.crashtest;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Crash-test harness: runs {@code ds serve --store file} as a child process, drives concurrent
 * load (idempotent producers, Stream-Seq appenders, readers, creates, closes, deletes), kills the
 * server with SIGKILL at a random moment, restarts it on the same data directory and checks:
 * every acknowledged append present exactly once and in order; an unacknowledged one either
 * wholly present or absent; producer retries after restart answered as duplicates exactly when
 * the append survived; Stream-Seq retries likewise; offsets strictly increasing across restarts;
 * closed streams still closed; deleted streams still gone. The last run ends with a clean stop
 * and one more check, covering the clean-shutdown path.
 *
 * <p>Usage: {@code CrashTest <ds launcher> [cycles] [seed]}; exits 1 on any anomaly. A failing
 * run is replayed (up to thread timing) with the seed it prints.
 */
public final class CrashTest {
    /** Concurrent writer threads: {@value}. */
    private static final int WORKERS = 6;
    /** Streams each worker starts with: {@value}. */
    private static final int INITIAL_STREAMS_PER_WORKER = 3;
    /** Upper bound of writable streams, so a cycle's check stays short: {@value}. */
    private static final int MAX_STREAMS = 120;
    /** Restarts after which a closed stream is checked for the last time and dropped: {@value}. */
    private static final int CLOSED_CHECKS = 2;
    /** Load time before the kill, chosen uniformly in [min, max): {@value} ms. */
    private static final int MIN_LOAD_MS = 200;
    /** See {@link #MIN_LOAD_MS}: {@value} ms. */
    private static final int MAX_LOAD_MS = 2000;
    /** Stream-Retention-Bytes of the retained streams: a few records (up to ~220 bytes each). */
    static final long RETAINED_BYTES = 2048;

    private final Path launcher;
    private final Path dataDir;
    private final Path serverLog;
    private final Random random;
    private final List<StreamModel> streams = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger nextStreamId = new AtomicInteger();
    private final List<String> anomalies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong appendsAcked = new AtomicLong();
    private long appendsChecked;
    private long retriesDeduplicated;
    private long retriesAccepted;
    /** Bytes retention reclaimed from the beginnings of retained streams, as reads saw them start later. */
    private final AtomicLong reclaimedSeen = new AtomicLong();
    private final AtomicInteger retainedCreated = new AtomicInteger();

    private CrashTest(Path launcher, Path dataDir, long seed) {
        this.launcher = launcher;
        this.dataDir = dataDir;
        this.serverLog = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: CrashTest <ds launcher> [cycles] [seed]");
            System.exit(2);
        }
        int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : System.nanoTime();
        Path dir = Files.createTempDirectory("ds-crash-");
        Path data = dir.resolve("data");
        System.out.println("crash test: " + cycles + " cycles, seed " + seed + ", data " + data);
        CrashTest t = new CrashTest(Path.of(args[0]).toAbsolutePath(), data, seed);
        t.run(cycles);
        System.out.println("cycles: " + cycles);
        System.out.println("appends acknowledged: " + t.appendsAcked.get());
        System.out.println("appends checked: " + t.appendsChecked);
        System.out.println("in-doubt retries after restart: " + t.retriesDeduplicated + " deduplicated (were written), "
                + t.retriesAccepted + " accepted (were not)");
        System.out.println("retention: " + t.retainedCreated.get() + " streams keeping their last " + RETAINED_BYTES
                + " bytes; reads saw " + t.reclaimedSeen.get() + " bytes reclaimed from their beginnings");
        System.out.println("anomalies: " + t.anomalies.size());
        t.anomalies.stream().limit(30).forEach(a -> System.out.println("  ANOMALY " + a));
        if (t.anomalies.isEmpty()) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } else {
            System.out.println("data and server log kept in " + dir + ", seed " + seed);
        }
        System.exit(t.anomalies.isEmpty() ? 0 : 1);
    }

    private void run(int cycles) throws Exception {
        for (int cycle = 1; cycle <= cycles; cycle++) {
            ServerProcess server = ServerProcess.startFileStore(launcher, dataDir, serverLog);
            Http http = new Http(server.baseUrl);
            check(http, cycle);
            if (cycle == 1) {
                for (int i = 0; i < WORKERS * INITIAL_STREAMS_PER_WORKER; i++) {
                    create(http, random);
                }
            }
            load(http, server);
            System.out.println("cycle " + cycle + ": " + streams.size() + " streams, " + appendsAcked.get()
                    + " appends acknowledged, " + anomalies.size() + " anomalies");
        }
        ServerProcess server = ServerProcess.startFileStore(launcher, dataDir, serverLog);
        check(new Http(server.baseUrl), cycles + 1);
        server.stop();
        server = ServerProcess.startFileStore(launcher, dataDir, serverLog);
        check(new Http(server.baseUrl), cycles + 2);
        server.stop();
    }

    /** Runs the workers, kills the server at a random moment, waits for the workers to notice. */
    private void load(Http http, ServerProcess server) throws InterruptedException {
        List<List<StreamModel>> owned = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            owned.add(new ArrayList<>());
        }
        synchronized (streams) {
            for (StreamModel s : streams) {
                if (s.writable()) {
                    owned.get(s.id % WORKERS).add(s);
                }
            }
        }
        List<Worker> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            Worker worker = new Worker(http, owned.get(w), new Random(random.nextLong()));
            workers.add(worker);
            worker.start();
        }
        Thread.sleep(MIN_LOAD_MS + random.nextInt(MAX_LOAD_MS - MIN_LOAD_MS));
        server.kill();
        for (Worker w : workers) {
            w.join();
        }
    }

    private StreamModel create(Http http, Random r) {
        synchronized (streams) {
            if (streams.stream().filter(StreamModel::writable).count() >= MAX_STREAMS) {
                return null;
            }
        }
        // a third keep only about their last RETAINED_BYTES (retention by size, whole segments freed)
        StreamModel s = new StreamModel(nextStreamId.incrementAndGet(),
                r.nextBoolean() ? StreamModel.Kind.PRODUCER : StreamModel.Kind.STREAM_SEQ, r.nextInt(3) == 0 ? RETAINED_BYTES : 0);
        try {
            HttpResponse<byte[]> resp = http.create(s.name, s.retentionBytes);
            if (resp.statusCode() != 201) {
                anomaly(s, "create answered " + resp.statusCode());
                return null;
            }
            streams.add(s);
            if (s.retentionBytes > 0) {
                retainedCreated.incrementAndGet();
            }
            return s;
        } catch (IOException | InterruptedException e) {
            return null; // an unacknowledged create: whether it exists is not checked
        }
    }

    /** One sequential writer for its streams until the server dies under it. */
    private final class Worker extends Thread {
        private final Http http;
        private final List<StreamModel> mine;
        private final Random r;

        Worker(Http http, List<StreamModel> mine, Random r) {
            this.http = http;
            this.mine = mine;
            this.r = r;
        }

        @Override
        public void run() {
            try {
                while (step()) {
                    // keep going until an operation's outcome is unknown (the server died)
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private boolean step() throws InterruptedException {
            mine.removeIf(s -> !s.writable());
            int dice = r.nextInt(100);
            if (mine.isEmpty() || dice < 3) {
                StreamModel s = create(http, r);
                if (s == null) {
                    return !mine.isEmpty();
                }
                mine.add(s);
                return true;
            }
            StreamModel s = mine.get(r.nextInt(mine.size()));
            try {
                if (dice < 5) {
                    return close(s);
                }
                if (dice < 7) {
                    return delete(s);
                }
                if (dice < 15) {
                    Http.Read read = http.readAll(s.name);
                    verifyContent(s, read, "live read");
                    return true;
                }
                return append(s);
            } catch (IOException e) {
                return false;
            }
        }

        private boolean append(StreamModel s) throws InterruptedException {
            int i = s.acked;
            s.appendInDoubt = true;
            HttpResponse<byte[]> resp;
            try {
                resp = http.append(s, i, StreamModel.record(s.id, i), false);
            } catch (IOException e) {
                return false;
            }
            int expected = s.kind == StreamModel.Kind.PRODUCER ? 200 : 204;
            if (resp.statusCode() != expected) {
                anomaly(s, "append " + i + " answered " + resp.statusCode() + " (expected " + expected + "): " + new String(resp.body()));
                return false;
            }
            s.appendInDoubt = false;
            s.acked++;
            appendsAcked.incrementAndGet();
            acceptOffset(s, resp.headers().firstValue("stream-next-offset").orElse(""), "append " + i);
            return true;
        }

        private boolean close(StreamModel s) throws InterruptedException {
            s.closeInDoubt = true;
            HttpResponse<byte[]> resp;
            try {
                resp = http.append(s, s.acked, new byte[0], true);
            } catch (IOException e) {
                return false;
            }
            if (resp.statusCode() != 204) {
                anomaly(s, "close answered " + resp.statusCode());
                return false;
            }
            s.closeInDoubt = false;
            s.closed = true;
            return true;
        }

        private boolean delete(StreamModel s) throws InterruptedException {
            s.deleteInDoubt = true;
            HttpResponse<byte[]> resp;
            try {
                resp = http.delete(s.name);
            } catch (IOException e) {
                return false;
            }
            if (resp.statusCode() != 204) {
                anomaly(s, "delete answered " + resp.statusCode());
                return false;
            }
            s.deleteInDoubt = false;
            s.deleted = true;
            return true;
        }
    }

    /** After a restart: every stream as the model says, and each in-doubt operation resolved. */
    private void check(Http http, int cycle) throws Exception {
        List<StreamModel> all;
        synchronized (streams) {
            all = new ArrayList<>(streams);
        }
        for (StreamModel s : all) {
            try {
                checkStream(http, s);
            } catch (IOException e) {
                anomaly(s, "request failed after restart " + cycle + ": " + e);
            }
        }
        streams.removeIf(s -> s.deleted || s.closed && ++s.checksSinceClosed >= CLOSED_CHECKS);
    }

    private void checkStream(Http http, StreamModel s) throws IOException, InterruptedException {
        Http.Read read = http.readAll(s.name);
        if (s.deleted || s.deleteInDoubt) {
            if (read.status() == 404) {
                s.deleted = true;
                return;
            }
            if (s.deleted) {
                anomaly(s, "deleted stream is back: read answered " + read.status());
                return;
            }
            s.deleteInDoubt = false;
        }
        if (read.status() != 200) {
            anomaly(s, "read after restart answered " + read.status());
            s.deleted = true;
            return;
        }
        int present = verifyContent(s, read, "read after restart");
        if (present < 0) {
            s.deleted = true; // reported; stop tracking it
            return;
        }
        appendsChecked += s.acked;
        if (read.nextOffset() == null || read.nextOffset().compareTo(s.lastOffset) < 0) {
            anomaly(s, "tail offset " + read.nextOffset() + " after restart is below the acknowledged " + s.lastOffset);
        }
        if (s.closed && !read.closed()) {
            anomaly(s, "closed stream is open again after restart");
        }
        if (s.closeInDoubt) {
            s.closeInDoubt = false;
            s.closed = read.closed();
        }
        if (s.appendInDoubt) {
            resolveAppend(http, s, present > s.acked);
        }
    }

    /** Retries the in-doubt append with the same producer seq / Stream-Seq: a duplicate exactly when it survived. */
    private void resolveAppend(Http http, StreamModel s, boolean survived) throws IOException, InterruptedException {
        int i = s.acked;
        HttpResponse<byte[]> resp = http.append(s, i, StreamModel.record(s.id, i), false);
        int status = resp.statusCode();
        boolean producer = s.kind == StreamModel.Kind.PRODUCER;
        int expected = survived ? (producer ? 204 : 409) : (producer ? 200 : 204);
        if (status != expected) {
            anomaly(s, "retry of " + (survived ? "surviving" : "lost") + " append " + i + " answered " + status + " (expected " + expected + ")");
            return;
        }
        if (survived) {
            retriesDeduplicated++;
        } else {
            retriesAccepted++;
        }
        s.appendInDoubt = false;
        s.acked++;
        String offset = resp.headers().firstValue("stream-next-offset").orElse(null);
        if (offset != null) {
            acceptOffset(s, offset, "retry " + i);
        }
        Http.Read again = http.readAll(s.name);
        if (again.status() != 200 || !matches(s, again, s.acked)) {
            anomaly(s, "after the retry of append " + i + " the stream holds " + again.body().length + " bytes, expected "
                    + s.expected(s.acked).length);
        }
    }

    /**
     * The number of records present: acknowledged ones exactly once and in order, then at most the
     * one in-doubt record, whole. -1 (and an anomaly) otherwise. A retained stream may start later
     * (retention reclaimed its beginning), at a record boundary, never earlier than a read saw it
     * start before, and always with at least its last Stream-Retention-Bytes.
     */
    private int verifyContent(StreamModel s, Http.Read read, String what) {
        if (s.retentionBytes > 0 && read.start() < s.start) {
            anomaly(s, what + ": reclaimed bytes came back: the stream starts at " + read.start() + ", a read saw it start at "
                    + s.start);
            return -1;
        }
        int present = matches(s, read, s.acked) ? s.acked
                : s.appendInDoubt && matches(s, read, s.acked + 1) ? s.acked + 1 : -1;
        if (present < 0) {
            byte[] acked = s.expected(s.acked);
            anomaly(s, what + ": " + read.body().length + " bytes from position " + read.start() + ", expected " + acked.length
                    + " (" + s.acked + " acknowledged records" + (s.appendInDoubt ? " + 1 in doubt" : "")
                    + (s.retentionBytes > 0 ? ", retaining " + s.retentionBytes + " bytes" : "") + ")");
            return -1;
        }
        if (read.start() > s.start) {
            reclaimedSeen.addAndGet(read.start() - s.start);
            s.start = read.start();
        }
        return present;
    }

    /** Whether the read holds the first {@code count} records, or (retained streams) what retention must keep of them. */
    private static boolean matches(StreamModel s, Http.Read read, int count) {
        byte[] full = s.expected(count);
        long start = read.start();
        if (s.retentionBytes == 0 || start == 0) {
            return start == 0 && Arrays.equals(read.body(), full);
        }
        if (start > full.length || full.length - start < Math.min(s.retentionBytes, full.length)
                || !s.isRecordStart(start)) {
            return false;
        }
        return Arrays.equals(read.body(), Arrays.copyOfRange(full, (int) start, full.length));
    }

    private void acceptOffset(StreamModel s, String offset, String what) {
        if (offset.compareTo(s.lastOffset) <= 0) {
            anomaly(s, what + " returned offset " + offset + ", not after the previous " + s.lastOffset);
        }
        s.lastOffset = offset;
    }

    private void anomaly(StreamModel s, String what) {
        anomalies.add("stream " + s.id + " (" + s.kind + "): " + what);
    }
}
