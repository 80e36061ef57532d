package io.durablestreams.crashtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Crash test of stateless nodes on PostgreSQL ("nothing acknowledged is lost when a node dies"):
 * two {@code ds serve --store postgres} nodes on one database under concurrent load, with a fault
 * every cycle, and a check of every stream through both nodes after it.
 *
 * <p>Load: worker threads, each the only writer of its streams, append records as idempotent
 * producers (epoch 0, seq = record index) or with {@code Stream-Seq}, and create, read, close
 * (also append-and-close) and delete streams; each request goes to a node chosen at random and,
 * while its outcome is unknown (connection error, timeout, {@code 503}), the same request goes to
 * the other node until one gives a definite answer ({@link Failover}) — the client failing over.
 * Live readers follow streams with long-polls through either node meanwhile.
 *
 * <p>Faults: {@code node-kill} SIGKILLs one node at a random moment, keeps the load on the other,
 * then starts the killed one again; {@code db-restart} crashes PostgreSQL ({@code pg_ctl stop -m
 * immediate}) under both nodes and starts it again.
 *
 * <p>Checks after each cycle, reading each stream through both nodes: the content is exactly the
 * acknowledged records in order, each once (lost and duplicated records are counted); both nodes
 * return the same bytes and {@code Stream-Next-Offset}; offsets only grow; closed streams stay
 * closed; deleted streams stay gone. A retry answered as a duplicate counts only if an earlier
 * attempt may have landed. Live readers saw a prefix of the final content and catch up with it.
 *
 * <p>Usage: {@code ClusterCrashTest --launcher DS --postgres-url URL --work-dir DIR [--mode
 * node-kill|db-restart] [--cycles N] [--seed S] [--postgres-script SCRIPT --postgres-dir DIR]};
 * {@code db-restart} needs the PostgreSQL server that {@code scripts/postgres.sh} runs in
 * {@code --postgres-dir}. Exits 1 on any anomaly; a failing run is replayed (up to thread timing)
 * with the seed it prints.
 */
public final class ClusterCrashTest {
    enum Mode {
        NODE_KILL, DB_RESTART;

        String label() {
            return name().toLowerCase().replace('_', '-');
        }

        static Mode parse(String s) {
            for (Mode m : values()) {
                if (m.label().equals(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("mode must be node-kill or db-restart, not " + s);
        }
    }

    /** Concurrent writer threads: {@value}. */
    private static final int WORKERS = 4;
    /** Streams each worker starts with: {@value}. */
    private static final int INITIAL_STREAMS_PER_WORKER = 4;
    /** Upper bound of writable streams, so a cycle's check stays short: {@value}. */
    private static final int MAX_STREAMS = 60;
    /** Live readers per cycle: {@value}. */
    private static final int TAILERS = 2;
    /** Cycles a closed or deleted stream is still checked before it is dropped: {@value}. */
    private static final int FINAL_CHECKS = 2;
    /** Load before the fault, chosen uniformly in [min, max): {@value} ms. */
    private static final int MIN_LOAD_MS = 300;
    /** See {@link #MIN_LOAD_MS}: {@value} ms. */
    private static final int MAX_LOAD_MS = 1500;
    /** Longest time the killed node, or the database, stays down before it is started again: {@value} ms. */
    private static final int MAX_OUTAGE_MS = 1000;
    /** Load after the restart, at least: {@value} ms ... */
    private static final int MIN_AFTER_MS = 300;
    /** ... and less than: {@value} ms. */
    private static final int MAX_AFTER_MS = 1000;
    /** How long one operation may keep failing over before that is an anomaly. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** The nodes' long-poll timeout: short, since a live reader's last poll at the tail waits it out. */
    private static final String LONG_POLL_TIMEOUT = "2s";
    /** A live reader's request timeout, above {@link #LONG_POLL_TIMEOUT}. */
    private static final Duration LONG_POLL_REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** How long live readers may take to catch up once the load stopped. */
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final Mode mode;
    private final Cluster cluster;
    private final PostgresControl postgres;
    private final Random random;
    private final List<StreamModel> streams = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger nextStreamId = new AtomicInteger();
    private final List<String> anomalies = Collections.synchronizedList(new ArrayList<>());
    /** The most acknowledged records found missing (resp. extra copies) in one check, by stream id. */
    private final Map<Integer, Integer> lostByStream = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> duplicatedByStream = new ConcurrentHashMap<>();
    private final AtomicLong appendsAcked = new AtomicLong();
    private final AtomicLong failovers = new AtomicLong();
    /** Requests failed over whose repetition was answered as already done: the first attempt had landed. */
    private final AtomicLong retriesDeduplicated = new AtomicLong();
    /** Requests failed over whose repetition was applied: no earlier attempt had landed. */
    private final AtomicLong retriesApplied = new AtomicLong();
    private final AtomicLong liveBytesChecked = new AtomicLong();
    private long appendsChecked;

    private ClusterCrashTest(Mode mode, Cluster cluster, PostgresControl postgres, long seed) {
        this.mode = mode;
        this.cluster = cluster;
        this.postgres = postgres;
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        Path launcher = Path.of(opts.get("launcher")).toAbsolutePath();
        String url = opts.get("postgres-url");
        Path workDir = Path.of(opts.get("work-dir")).toAbsolutePath();
        Mode mode = Mode.parse(opts.getOrDefault("mode", "node-kill"));
        int cycles = Integer.parseInt(opts.getOrDefault("cycles", "10"));
        long seed = opts.containsKey("seed") ? Long.parseLong(opts.get("seed")) : System.nanoTime();
        PostgresControl postgres = null;
        if (mode == Mode.DB_RESTART) {
            if (!opts.containsKey("postgres-script") || !opts.containsKey("postgres-dir")) {
                usage("db-restart needs --postgres-script and --postgres-dir");
            }
            postgres = new PostgresControl(Path.of(opts.get("postgres-script")), Path.of(opts.get("postgres-dir")),
                    workDir.resolve("postgres-control.log"));
        }
        Files.createDirectories(workDir);
        System.out.println("cluster crash test (" + mode.label() + "): " + cycles + " cycles, seed " + seed
                + ", node logs in " + workDir);
        ClusterCrashTest t;
        try (Cluster cluster = Cluster.start(List.of(launcher.toString()), url,
                List.of("--long-poll-timeout", LONG_POLL_TIMEOUT), workDir)) {
            t = new ClusterCrashTest(mode, cluster, postgres, seed);
            t.run(cycles);
        }
        System.out.println("appends checked (summed over the checks): " + t.appendsChecked);
        System.out.println("failed-over requests: " + t.retriesDeduplicated.get() + " answered as already done (the lost attempt had landed), "
                + t.retriesApplied.get() + " applied (it had not)");
        System.out.println("live-read bytes checked: " + t.liveBytesChecked.get());
        System.out.println("anomalies: " + t.anomalies.size());
        t.anomalies.stream().limit(30).forEach(a -> System.out.println("  ANOMALY " + a));
        long lost = t.lostByStream.values().stream().mapToLong(Integer::longValue).sum();
        long duplicated = t.duplicatedByStream.values().stream().mapToLong(Integer::longValue).sum();
        System.out.println("cluster crash test (" + mode.label() + "): " + cycles + " cycles, " + t.appendsAcked.get()
                + " appends acknowledged, " + lost + " lost, " + duplicated + " duplicated, " + t.failovers.get() + " failovers");
        boolean ok = t.anomalies.isEmpty() && lost == 0 && duplicated == 0;
        if (!ok) {
            System.out.println("FAILED: node logs in " + workDir + ", seed " + seed);
        }
        System.exit(ok ? 0 : 1);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("bad argument " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : List.of("launcher", "postgres-url", "work-dir")) {
            if (!opts.containsKey(required)) {
                usage("--" + required + " is required");
            }
        }
        return opts;
    }

    private static void usage(String why) {
        System.err.println("ClusterCrashTest: " + why);
        System.err.println("usage: ClusterCrashTest --launcher DS --postgres-url URL --work-dir DIR [--mode node-kill|db-restart]"
                + " [--cycles N] [--seed S] [--postgres-script SCRIPT --postgres-dir DIR]");
        System.exit(2);
    }

    private void run(int cycles) throws Exception {
        Random r = new Random(random.nextLong());
        for (int i = 0; i < WORKERS * INITIAL_STREAMS_PER_WORKER; i++) {
            create(r);
        }
        for (int cycle = 1; cycle <= cycles; cycle++) {
            Load load = new Load();
            load.start();
            Thread.sleep(MIN_LOAD_MS + random.nextInt(MAX_LOAD_MS - MIN_LOAD_MS));
            String fault = fault();
            Thread.sleep(MIN_AFTER_MS + random.nextInt(MAX_AFTER_MS - MIN_AFTER_MS));
            load.stopWriters();
            check();
            load.awaitReaders();
            System.out.println("cycle " + cycle + "/" + cycles + ": " + fault + "; " + streams.size() + " streams, "
                    + appendsAcked.get() + " appends acknowledged, " + failovers.get() + " failovers, "
                    + anomalies.size() + " anomalies");
        }
    }

    /** This cycle's fault, under load; returns what happened. */
    private String fault() throws IOException, InterruptedException {
        long outage = random.nextInt(MAX_OUTAGE_MS);
        if (mode == Mode.NODE_KILL) {
            int victim = random.nextInt(Cluster.SIZE);
            long pid = cluster.process(victim).pid();
            cluster.kill(victim);
            Thread.sleep(outage);
            long start = System.nanoTime();
            cluster.restart(victim);
            return "SIGKILL node " + (victim + 1) + " (pid " + pid + "), down " + outage + " ms, started again in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms";
        }
        postgres.crash();
        Thread.sleep(outage);
        long start = System.nanoTime();
        postgres.restart();
        return "PostgreSQL stopped -m immediate, down " + outage + " ms, started again in "
                + (System.nanoTime() - start) / 1_000_000 + " ms";
    }

    /** One cycle's writers and live readers. */
    private final class Load {
        private volatile boolean stopping;
        private volatile boolean catchingUp;
        private final List<Worker> workers = new ArrayList<>();
        private final List<Tailer> tailers = new ArrayList<>();

        Load() {
            List<List<StreamModel>> owned = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                owned.add(new ArrayList<>());
            }
            List<StreamModel> writable = new ArrayList<>();
            synchronized (streams) {
                for (StreamModel s : streams) {
                    if (s.writable()) {
                        owned.get(s.id % WORKERS).add(s);
                        writable.add(s);
                    }
                }
            }
            for (int w = 0; w < WORKERS; w++) {
                workers.add(new Worker(this, owned.get(w), new Random(random.nextLong())));
            }
            Collections.shuffle(writable, random);
            for (StreamModel s : writable.subList(0, Math.min(TAILERS, writable.size()))) {
                tailers.add(new Tailer(this, s, random.nextInt(Cluster.SIZE)));
            }
        }

        void start() {
            workers.forEach(Thread::start);
            tailers.forEach(Thread::start);
        }

        /** Lets each writer finish its operation (failing over until it is answered), then stop. */
        void stopWriters() throws InterruptedException {
            stopping = true;
            for (Worker w : workers) {
                w.join();
            }
            catchingUp = true;
        }

        void awaitReaders() throws InterruptedException {
            for (Tailer t : tailers) {
                t.join();
                t.verify();
            }
        }
    }

    private StreamModel create(Random r) throws InterruptedException {
        synchronized (streams) {
            if (streams.stream().filter(StreamModel::writable).count() >= MAX_STREAMS) {
                return null;
            }
        }
        StreamModel s = new StreamModel(nextStreamId.incrementAndGet(),
                r.nextBoolean() ? StreamModel.Kind.PRODUCER : StreamModel.Kind.STREAM_SEQ);
        Failover.Outcome<HttpResponse<byte[]>> o = send(s, "create", r, node -> node.create(s.name));
        if (o == null) {
            return null;
        }
        // 200: the stream exists as asked; after a failover, because the lost attempt created it
        if (o.status() != 201 && !(o.status() == 200 && o.mayHaveLanded())) {
            anomaly(s, "create answered " + o.status() + describe(o));
            return null;
        }
        countRetry(o, o.status() == 201);
        streams.add(s);
        return s;
    }

    /** Sends with failover; null (and an anomaly) when no node gave a definite answer in time. */
    private Failover.Outcome<HttpResponse<byte[]>> send(StreamModel s, String what, Random r,
                                                            Failover.Call<HttpResponse<byte[]>> call) throws InterruptedException {
        Failover.Outcome<HttpResponse<byte[]>> o = Failover.send(cluster, r.nextInt(Cluster.SIZE), call, PATIENCE);
        failovers.addAndGet(o.failovers());
        if (!o.answered()) {
            anomaly(s, what + ": no definite answer within " + PATIENCE.toSeconds() + " s, " + o.failovers()
                    + " failovers; last: " + o.lastFailure());
            abandon(s);
            return null;
        }
        return o;
    }

    private void countRetry(Failover.Outcome<?> o, boolean applied) {
        if (o.failovers() > 0) {
            (applied ? retriesApplied : retriesDeduplicated).incrementAndGet();
        }
    }

    private static String describe(Failover.Outcome<HttpResponse<byte[]>> o) {
        return " on node " + (o.node() + 1) + " after " + o.failovers() + " failovers"
                + (o.lastFailure() == null ? "" : " (last: " + o.lastFailure() + ")") + ": "
                + new String(o.response().body(), StandardCharsets.UTF_8);
    }

    /** The only writer of its streams for one cycle; it also creates, reads, closes and deletes them. */
    private final class Worker extends Thread {
        private final Load load;
        private final List<StreamModel> mine;
        private final Random r;

        Worker(Load load, List<StreamModel> mine, Random r) {
            super("worker");
            this.load = load;
            this.mine = mine;
            this.r = r;
            setDaemon(true); // a run that fails with an exception must still exit
        }

        @Override
        public void run() {
            try {
                while (!load.stopping) {
                    step();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void step() throws InterruptedException {
            mine.removeIf(s -> !s.writable());
            int dice = r.nextInt(100);
            if (mine.isEmpty() || dice < 3) {
                StreamModel s = create(r);
                if (s != null) {
                    mine.add(s);
                } else if (mine.isEmpty()) {
                    Thread.sleep(10); // at MAX_STREAMS and none of them this worker's: idle until the cycle ends
                }
                return;
            }
            StreamModel s = mine.get(r.nextInt(mine.size()));
            if (dice < 5) {
                close(s);
            } else if (dice < 7) {
                delete(s);
            } else if (dice < 12) {
                read(s);
            } else {
                append(s);
            }
        }

        private void append(StreamModel s) throws InterruptedException {
            int i = s.acked;
            byte[] body = StreamModel.record(s.id, i);
            Failover.Outcome<HttpResponse<byte[]>> o = send(s, "append " + i, r, node -> node.append(s, i, body, false));
            if (o == null) {
                return;
            }
            boolean producer = s.kind == StreamModel.Kind.PRODUCER;
            boolean applied = o.status() == (producer ? 200 : 204);
            // a producer's duplicate is 204; a repeated Stream-Seq is refused as not greater than the last
            boolean repeated = o.mayHaveLanded() && (producer ? o.status() == 204 : isSequenceConflict(o));
            if (!applied && !repeated) {
                anomaly(s, "append " + i + " answered " + o.status() + describe(o));
                abandon(s);
                return;
            }
            if (producer && !Long.toString(i).equals(header(o, "producer-seq"))) {
                anomaly(s, "append " + i + " answered Producer-Seq " + header(o, "producer-seq"));
            }
            countRetry(o, applied);
            s.acked++;
            appendsAcked.incrementAndGet();
            String offset = header(o, "stream-next-offset");
            if (offset != null) {
                acceptOffset(s, offset, true, "append " + i);
            } else if (applied) {
                anomaly(s, "append " + i + " answered without Stream-Next-Offset");
            }
        }

        /** A close: with the stream's next record (producer streams, sometimes) or without data. */
        private void close(StreamModel s) throws InterruptedException {
            boolean withData = s.kind == StreamModel.Kind.PRODUCER && r.nextBoolean();
            int i = s.acked;
            byte[] body = withData ? StreamModel.record(s.id, i) : new byte[0];
            Failover.Outcome<HttpResponse<byte[]>> o = send(s, "close", r, node -> node.append(s, i, body, true));
            if (o == null) {
                return;
            }
            // append-and-close: 200, and its repetition a duplicate (204); a close alone: 204 either way
            boolean applied = o.status() == (withData ? 200 : 204);
            boolean repeated = withData && o.mayHaveLanded() && o.status() == 204;
            if (!applied && !repeated || !"true".equals(header(o, "stream-closed"))) {
                anomaly(s, (withData ? "append-and-close " + i : "close") + " answered " + o.status() + describe(o));
                abandon(s);
                return;
            }
            if (withData) {
                countRetry(o, applied);
                s.acked++;
                appendsAcked.incrementAndGet();
            }
            s.closed = true;
            String offset = header(o, "stream-next-offset");
            if (offset != null) {
                acceptOffset(s, offset, withData, "close");
            }
        }

        private void delete(StreamModel s) throws InterruptedException {
            Failover.Outcome<HttpResponse<byte[]>> o = send(s, "delete", r, node -> node.delete(s.name));
            if (o == null) {
                return;
            }
            if (o.status() != 204 && !(o.status() == 404 && o.mayHaveLanded())) {
                anomaly(s, "delete answered " + o.status() + describe(o));
                abandon(s);
                return;
            }
            countRetry(o, o.status() == 204);
            s.deleted = true;
        }

        /** A read by the writer itself, so the expected content is exact. */
        private void read(StreamModel s) throws InterruptedException {
            Failover.Outcome<Http.Read> o = Failover.read(cluster, r.nextInt(Cluster.SIZE), s.name, PATIENCE);
            failovers.addAndGet(o.failovers());
            if (!o.answered()) {
                anomaly(s, "read: no definite answer within " + PATIENCE.toSeconds() + " s; last: " + o.lastFailure());
                abandon(s);
                return;
            }
            verifyRead(s, o.response(), "read on node " + (o.node() + 1));
        }
    }

    private static boolean isSequenceConflict(Failover.Outcome<HttpResponse<byte[]>> o) {
        return o.status() == 409 && new String(o.response().body(), StandardCharsets.UTF_8).contains("\"sequence-conflict\"");
    }

    private static String header(Failover.Outcome<HttpResponse<byte[]>> o, String name) {
        return o.response().headers().firstValue(name).orElse(null);
    }

    /**
     * Follows one stream live with long-polls from its start, through one node and, when that
     * fails, the other. Everything it receives must be a prefix of the stream's final content, and
     * once the writers stopped it must catch up with all of it: a poll issued then at an offset
     * below the tail must answer data at once, not wait.
     */
    private final class Tailer extends Thread {
        private final Load load;
        private final StreamModel s;
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        private int node;
        private String offset = "-1";
        private boolean closedSeen;
        private boolean goneSeen;
        private String failure;

        Tailer(Load load, StreamModel s, int node) {
            super("live-reader");
            this.load = load;
            this.s = s;
            this.node = node;
            setDaemon(true);
        }

        @Override
        public void run() {
            long deadline = 0;
            int target = -1;
            try {
                while (failure == null && !closedSeen && !goneSeen) {
                    boolean catchUp = load.catchingUp;
                    if (catchUp && target < 0) {
                        target = s.expected(s.acked).length;
                        deadline = System.nanoTime() + CATCH_UP.toNanos();
                    }
                    if (catchUp && seen.size() >= target && (!s.closed || s.deleted)) {
                        return;
                    }
                    if (catchUp && System.nanoTime() > deadline) {
                        failure = "did not catch up within " + CATCH_UP.toSeconds() + " s: at " + seen.size() + " of " + target + " bytes";
                        return;
                    }
                    poll(catchUp, target);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void poll(boolean catchUp, int target) throws InterruptedException {
            HttpResponse<byte[]> r;
            try {
                r = cluster.node(node).longPoll(s.name, offset, LONG_POLL_REQUEST_TIMEOUT);
            } catch (IOException e) {
                switchNode();
                return;
            }
            boolean closed = "true".equals(r.headers().firstValue("stream-closed").orElse(null));
            String next = r.headers().firstValue("stream-next-offset").orElse(null);
            switch (r.statusCode()) {
                case 200 -> {
                    seen.writeBytes(r.body());
                    offset = next;
                    closedSeen = closed;
                }
                case 204 -> {
                    if (catchUp && !closed && seen.size() < target) {
                        failure = "a long-poll at offset " + offset + " on node " + (node + 1) + ", issued after the writers stopped, waited "
                                + "and answered 204 although the stream holds " + target + " bytes (this reader is at " + seen.size() + ")";
                    }
                    offset = next;
                    closedSeen = closed;
                }
                case 404 -> goneSeen = true;
                case 503 -> switchNode();
                default -> failure = "long-poll on node " + (node + 1) + " answered " + r.statusCode();
            }
            if (next == null && (r.statusCode() == 200 || r.statusCode() == 204)) {
                failure = "long-poll answered " + r.statusCode() + " without Stream-Next-Offset";
            }
        }

        private void switchNode() throws InterruptedException {
            node = (node + 1) % Cluster.SIZE;
            Thread.sleep(20);
        }

        void verify() {
            if (!streams.contains(s)) {
                return; // an anomaly already stopped the tracking of this stream
            }
            byte[] expected = s.expected(s.acked);
            byte[] got = seen.toByteArray();
            String where = "live reader (long-poll, last on node " + (node + 1) + ")";
            if (failure != null) {
                anomaly(s, where + ": " + failure);
            } else if (got.length > expected.length || !Arrays.equals(got, 0, got.length, expected, 0, got.length)) {
                anomaly(s, where + " received " + got.length + " bytes that are not a prefix of the " + expected.length
                        + " the stream holds; first difference at byte " + Arrays.mismatch(got, expected));
            } else if (!s.deleted && got.length != expected.length) {
                anomaly(s, where + " stopped at " + got.length + " of " + expected.length + " bytes");
            } else if (closedSeen && !s.closed) {
                anomaly(s, where + " saw Stream-Closed on a stream that is open");
            } else if (goneSeen && !s.deleted) {
                anomaly(s, where + " got 404 for a stream that exists");
            }
            liveBytesChecked.addAndGet(got.length);
        }
    }

    /** Reads every stream through both nodes; both must agree with the model, and with each other. */
    private void check() throws InterruptedException {
        List<StreamModel> all;
        synchronized (streams) {
            all = new ArrayList<>(streams);
        }
        for (StreamModel s : all) {
            Http.Read[] reads = readOnEachNode(s);
            if (reads == null) {
                continue;
            }
            if (s.deleted) {
                for (int n = 0; n < Cluster.SIZE; n++) {
                    if (reads[n].status() != 404) {
                        anomaly(s, "deleted stream is back: node " + (n + 1) + " answered " + reads[n].status());
                    }
                }
                if (++s.checksSinceClosed >= FINAL_CHECKS) {
                    streams.remove(s);
                }
                continue;
            }
            boolean ok = true;
            for (int n = 0; n < Cluster.SIZE && ok; n++) {
                ok = verifyRead(s, reads[n], "check on node " + (n + 1));
            }
            if (!ok) {
                continue;
            }
            if (!Arrays.equals(reads[0].body(), reads[1].body()) || !Objects.equals(reads[0].nextOffset(), reads[1].nextOffset())) {
                anomaly(s, "the nodes disagree: node 1 has " + reads[0].body().length + " bytes up to " + reads[0].nextOffset()
                        + ", node 2 " + reads[1].body().length + " up to " + reads[1].nextOffset());
            }
            appendsChecked += s.acked;
            if (s.closed && ++s.checksSinceClosed >= FINAL_CHECKS) {
                streams.remove(s);
            }
        }
    }

    /**
     * The whole stream as each node answers it; each node must answer (a 503 while it reconnects
     * to the database is waited out on that same node). Null, and an anomaly, when one does not.
     */
    private Http.Read[] readOnEachNode(StreamModel s) throws InterruptedException {
        Http.Read[] reads = new Http.Read[Cluster.SIZE];
        for (int n = 0; n < Cluster.SIZE; n++) {
            int pinned = n;
            Failover.Outcome<Http.Read> o = Failover.read(i -> cluster.node(pinned), 0, s.name, PATIENCE);
            if (!o.answered()) {
                anomaly(s, "check: node " + (n + 1) + " gave no answer within " + PATIENCE.toSeconds() + " s; last: " + o.lastFailure());
                return null;
            }
            reads[n] = o.response();
        }
        return reads;
    }

    /** Whether a whole read is exactly the model's stream: acknowledged records once, in order; closure. */
    private boolean verifyRead(StreamModel s, Http.Read read, String what) {
        if (read.status() != 200) {
            anomaly(s, what + " answered " + read.status());
            abandon(s);
            return false;
        }
        StreamModel.Tally t = s.tally(read.body(), s.acked);
        lostByStream.merge(s.id, t.lost(), Math::max);
        duplicatedByStream.merge(s.id, t.duplicated(), Math::max);
        if (!t.exact()) {
            anomaly(s, what + ": " + read.body().length + " bytes for " + s.acked + " acknowledged records: " + t.lost() + " lost, "
                    + t.duplicated() + " duplicated, " + t.unexpected() + " never acknowledged or garbled"
                    + (t.inOrder() ? "" : ", out of order"));
            abandon(s);
            return false;
        }
        if (read.closed() != s.closed) {
            anomaly(s, what + ": " + (s.closed ? "closed stream is open" : "open stream is closed"));
            abandon(s);
            return false;
        }
        if (read.nextOffset() == null) {
            anomaly(s, what + ": no Stream-Next-Offset");
        } else {
            acceptOffset(s, read.nextOffset(), false, what);
        }
        return true;
    }

    private void acceptOffset(StreamModel s, String offset, boolean strictlyAfter, String what) {
        int c = offset.compareTo(s.lastOffset);
        if (c < 0 || strictlyAfter && c == 0) {
            anomaly(s, what + " answered offset " + offset + ", not after the previous " + s.lastOffset);
        }
        if (c > 0) {
            s.lastOffset = offset;
        }
    }

    /** Stops tracking a stream an anomaly was reported for: what it holds is no longer known. */
    private void abandon(StreamModel s) {
        s.deleted = true;
        streams.remove(s);
    }

    private void anomaly(StreamModel s, String what) {
        anomalies.add("stream " + s.id + " (" + s.kind + "): " + what);
    }
}
