package io.durablestreams.store.file;

import static io.durablestreams.store.file.StoreFixture.config;
import static io.durablestreams.store.file.StoreFixture.descriptor;
import static io.durablestreams.store.file.StoreFixture.only;
import static io.durablestreams.store.file.StoreFixture.produced;
import static io.durablestreams.store.file.StoreFixture.readAll;
import static io.durablestreams.store.file.StoreFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.store.AppendEntry;
import io.durablestreams.engine.store.ProducerTuple;
import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.StreamLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Restarts, clean and after a simulated crash, and recovery from torn or corrupt tails. */
class FileStorageRecoveryTest {
    @TempDir
    Path dir;

    /** Appends {@code count} records "r0;", "r1;", ... to a new stream and abandons the store as kill -9 would. */
    private long writeThenCrash(String name, int count) {
        FileStorage store = new FileStorage(config(dir));
        StreamDescriptor d = descriptor(store, name);
        StreamLog log = store.createLog(d).join();
        for (int i = 0; i < count; i++) {
            log.append(produced("r" + i + ";", "p", 0, i)).join();
        }
        store.abandon();
        return d.incarnation();
    }

    /**
     * Removes the journal, as if the damaged writes had never reached it: they were then never
     * acknowledged, and the stream's own files are all recovery has (the case these tests cover).
     */
    private static void dropJournal(Path storeDir) throws IOException {
        for (Path f : Journal.list(Journal.directory(storeDir))) {
            Files.delete(f);
        }
    }

    /** Deletes every segment of a stream: only the journal can bring its records back. */
    private static void deleteSegments(Path streamDir) throws IOException {
        for (long base : StreamRecovery.segmentBases(streamDir)) {
            Files.delete(StoreFiles.dataFile(streamDir, base));
            Files.delete(StoreFiles.logFile(streamDir, base));
        }
    }

    private static String records(int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            s.append("r").append(i).append(';');
        }
        return s.toString();
    }

    @ParameterizedTest(name = "clean shutdown: {0}")
    @ValueSource(booleans = {true, false})
    void dataAndWriterStateSurviveARestart(boolean clean) {
        FileStorage store = new FileStorage(config(dir));
        StreamLog log = store.createLog(descriptor(store, "a/b c?ü")).join();
        log.append(produced("hello ", "p1", 3, 0)).join();
        log.append(new AppendEntry("world".getBytes(StandardCharsets.UTF_8), new int[] {5}, null, "seq-9", false, false, 0)).join();
        log.append(new AppendEntry(new byte[0], new int[0], new ProducerTuple("p1", 3, 1), null, true, false, 0)).join();
        log.touched(123_456L);
        if (clean) {
            store.close();
        } else {
            store.abandon();
        }

        FileStorage reopened = new FileStorage(config(dir));
        RecoveredStream r = only(reopened.recover(), "a/b c?ü");
        assertThat(readAll(r.log())).isEqualTo("hello world");
        assertThat(r.log().tail()).isEqualTo(11);
        assertThat(r.closed()).isTrue();
        assertThat(r.closedBy()).isEqualTo(new ProducerTuple("p1", 3, 1));
        assertThat(r.lastStreamSeq()).isEqualTo("seq-9");
        assertThat(r.producers()).containsOnlyKeys("p1");
        assertThat(r.producers().get("p1")).containsExactly(3, 1);
        assertThat(r.log().isMessageBoundary(6)).isTrue();
        assertThat(r.log().isMessageBoundary(7)).isFalse();
        if (clean) {
            assertThat(r.lastAccessMillis()).isEqualTo(123_456L);
        }
        reopened.close();
    }

    @Test
    void producerStateAfterACrashMatchesTheSurvivingData() {
        writeThenCrash("s", 5);

        FileStorage reopened = new FileStorage(config(dir));
        RecoveredStream r = only(reopened.recover(), "s");

        // a retry of seq 4 must be a duplicate, seq 5 is new: the engine decides from this state
        assertThat(r.producers().get("p")).containsExactly(0, 4);
        assertThat(readAll(r.log())).isEqualTo(records(5));
        reopened.close();
    }

    @Test
    void aTornFinalRecordIsCutAndItsProducerSeqForgotten() throws IOException {
        long inc = writeThenCrash("s", 4);
        Path log = lastSegment(inc, StoreFiles.LOG_SUFFIX);
        long size = Files.size(log);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3);
        }
        dropJournal(dir);

        FileStorage reopened = new FileStorage(config(dir));
        RecoveredStream r = only(reopened.recover(), "s");

        assertThat(readAll(r.log())).isEqualTo(records(3));
        assertThat(r.producers().get("p")).containsExactly(0, 2);
        // the store appends after the cut, and a second restart sees a consistent stream
        r.log().append(produced("again;", "p", 0, 3)).join();
        reopened.abandon();
        FileStorage third = new FileStorage(config(dir));
        assertThat(readAll(only(third.recover(), "s").log())).isEqualTo(records(3) + "again;");
        third.close();
    }

    @Test
    void aPayloadThatNeverReachedTheDataFileIsNotServed() throws IOException {
        long inc = writeThenCrash("s", 4);
        Path data = lastSegment(inc, StoreFiles.DATA_SUFFIX);
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 1);
        }
        dropJournal(dir);

        FileStorage reopened = new FileStorage(config(dir));
        RecoveredStream r = only(reopened.recover(), "s");

        assertThat(readAll(r.log())).isEqualTo(records(3));
        assertThat(r.producers().get("p")).containsExactly(0, 2);
        reopened.close();
    }

    /**
     * Corrupt, then recover: random bytes at a random position of a random file of the stream;
     * the survivors must be exactly the records before the first damaged one. Replay: the seed is
     * the failing repetition's index.
     */
    @Test
    void randomCorruptionCutsExactlyAtTheFirstDamagedRecord() throws IOException {
        int records = 30;
        for (int seed = 0; seed < 40; seed++) {
            Path storeDir = Files.createDirectory(dir.resolve("seed-" + seed));
            FileStorage store = new FileStorage(config(storeDir));
            StreamDescriptor d = descriptor(store, "s");
            StreamLog log = store.createLog(d).join();
            List<long[]> spans = new ArrayList<>(); // per record: segment base, log offset, frame end, payload start
            for (int i = 0; i < records; i++) {
                log.append(produced("r" + i + ";", "p", 0, i)).join();
            }
            store.abandon();
            Path streamDir = StoreFiles.streamDir(storeDir, d.incarnation());
            for (long base : StreamRecovery.segmentBases(streamDir)) {
                try (FileChannel ch = FileChannel.open(StoreFiles.logFile(streamDir, base))) {
                    RecordReader reader = new RecordReader(ch, 0, ch.size());
                    long start = 0;
                    for (LogRecord r = next(reader); r != null; r = next(reader)) {
                        spans.add(new long[] {base, start, reader.offset(), r.position(), r.end()});
                        start = reader.offset();
                    }
                }
            }
            Random random = new Random(seed);
            long[] victim = spans.get(spans.size() / 2 + random.nextInt(spans.size() - spans.size() / 2));
            boolean inLog = random.nextBoolean();
            Path file = inLog ? StoreFiles.logFile(streamDir, victim[0]) : StoreFiles.dataFile(streamDir, victim[0]);
            long from = inLog ? victim[1] : victim[3] - victim[0];
            long to = inLog ? victim[2] : victim[4] - victim[0];
            long at = from + random.nextInt((int) (to - from));
            byte[] garbage = new byte[1 + random.nextInt(4)];
            random.nextBytes(garbage);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                ByteBuffer original = ByteBuffer.allocate(1);
                ch.read(original, at);
                garbage[0] = (byte) (original.get(0) ^ (1 + random.nextInt(255))); // at least one byte really changes
                ch.write(ByteBuffer.wrap(garbage), at);
            }
            int damaged = spans.indexOf(victim);
            dropJournal(storeDir);

            FileStorage reopened = new FileStorage(config(storeDir));
            RecoveredStream r = only(reopened.recover(), "s");

            assertThat(readAll(r.log())).as("seed %d: garbage at byte %d of %s", seed, at, file).isEqualTo(records(damaged));
            if (damaged > 0) {
                assertThat(r.producers().get("p")).containsExactly(0, damaged - 1);
            }
            reopened.close();
        }
    }

    @Test
    void theJournalRestoresEverythingTheStreamFilesLost() throws IOException {
        long inc = writeThenCrash("s", 12);
        deleteSegments(StoreFiles.streamDir(dir, inc));

        FileStorage reopened = new FileStorage(config(dir));
        RecoveredStream r = only(reopened.recover(), "s");

        assertThat(readAll(r.log())).isEqualTo(records(12));
        assertThat(r.producers().get("p")).containsExactly(0, 11);
        // the replay was forced into the stream's files: without the journal (deleted at startup) a crash keeps it
        reopened.abandon();
        assertThat(Journal.list(Journal.directory(dir))).hasSize(1);
        dropJournal(dir);
        FileStorage third = new FileStorage(config(dir));
        assertThat(readAll(only(third.recover(), "s").log())).isEqualTo(records(12));
        third.close();
    }

    @Test
    void aTornJournalTailIsNotReplayed() throws IOException {
        long inc = writeThenCrash("s", 5);
        deleteSegments(StoreFiles.streamDir(dir, inc));
        Path journal = Journal.list(Journal.directory(dir)).get(0);
        long lastRecord = Journal.FILE_HEADER_LENGTH;
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer length = ByteBuffer.allocate(4);
            for (int i = 0; i < 4; i++) {
                ch.read(length.clear(), lastRecord);
                lastRecord += length.getInt(0);
            }
            ch.write(ByteBuffer.wrap(new byte[] {0x5a}), lastRecord + Journal.RECORD_HEADER_LENGTH + 3); // inside the 5th frame
        }

        FileStorage reopened = new FileStorage(config(dir));
        RecoveredStream r = only(reopened.recover(), "s");

        assertThat(readAll(r.log())).isEqualTo(records(4));
        assertThat(r.producers().get("p")).containsExactly(0, 3);
        reopened.close();
    }

    @Test
    void aCheckpointRetiresTheJournalFilesBehindIt() throws IOException, InterruptedException {
        FileStorage store = new FileStorage(config(dir).withJournalFileBytes(256));
        StreamLog log = store.createLog(descriptor(store, "s")).join();
        for (int i = 0; i < 40; i++) {
            log.append(produced("r" + i + ";", "p", 0, i)).join();
        }
        // every journal file filled past 256 bytes asked for a checkpoint cycle, which deletes the ones behind it
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (Journal.list(Journal.directory(dir)).size() > 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(Journal.list(Journal.directory(dir))).hasSizeLessThanOrEqualTo(2);
        store.abandon();

        FileStorage reopened = new FileStorage(config(dir));
        assertThat(readAll(only(reopened.recover(), "s").log())).isEqualTo(records(40));
        reopened.close();
        assertThat(Journal.list(Journal.directory(dir))).as("a clean shutdown leaves no journal").isEmpty();
    }

    @ParameterizedTest(name = "clean shutdown: {0}")
    @ValueSource(booleans = {true, false})
    void deletionSurvivesARestart(boolean clean) {
        FileStorage store = new FileStorage(config(dir));
        StreamLog gone = store.createLog(descriptor(store, "gone")).join();
        gone.append(text("x")).join();
        StreamLog kept = store.createLog(descriptor(store, "kept")).join();
        kept.append(text("y")).join();
        gone.delete().join();
        if (clean) {
            store.close();
        } else {
            store.abandon();
        }

        FileStorage reopened = new FileStorage(config(dir));
        List<RecoveredStream> streams = reopened.recover();
        assertThat(streams).extracting(r -> r.descriptor().name()).containsExactly("kept");
        reopened.close();
    }

    @Test
    void aDeleteInterruptedAfterItsTombstoneIsFinishedAtStartup() throws IOException {
        long inc = writeThenCrash("s", 2);
        Path streamDir = StoreFiles.streamDir(dir, inc);
        Files.move(streamDir, streamDir.resolveSibling(streamDir.getFileName() + StoreFiles.DELETED_SUFFIX));

        FileStorage reopened = new FileStorage(config(dir));

        assertThat(reopened.recover()).isEmpty();
        try (var files = Files.list(streamDir.getParent())) {
            assertThat(files).isEmpty();
        }
        reopened.close();
    }

    @Test
    void softDeletionIsRecovered() {
        FileStorage store = new FileStorage(config(dir));
        StreamLog log = store.createLog(descriptor(store, "s")).join();
        log.append(text("x")).join();
        log.markSoftDeleted().join();
        store.abandon();

        FileStorage reopened = new FileStorage(config(dir));
        assertThat(only(reopened.recover(), "s").softDeleted()).isTrue();
        reopened.close();
    }

    @Test
    void incarnationsKeepIncreasingAcrossCleanAndCrashedRestarts() {
        long last = 0;
        for (int run = 0; run < 4; run++) {
            FileStorage store = new FileStorage(config(dir));
            store.recover();
            for (int i = 0; i < 3; i++) {
                long next = store.nextIncarnation().join();
                assertThat(next).isGreaterThan(last);
                last = next;
            }
            if (run % 2 == 0) {
                store.close();
            } else {
                store.abandon();
            }
        }
    }

    @Test
    void forksKeepTheirBaseAndComeAfterTheirSource() {
        FileStorage store = new FileStorage(config(dir));
        StreamDescriptor src = descriptor(store, "src");
        StreamLog source = store.createLog(src).join();
        source.append(text("abcdef")).join();
        StreamDescriptor fork = new StreamDescriptor("fork", store.nextIncarnation().join(), "text/plain", null, null, null, null,
                1L, "src", src.incarnation(), 4, null, 0, true, null, null, 0, -1);
        StreamLog forkLog = store.createLog(fork).join();
        forkLog.append(text("XY")).join();
        store.abandon();

        FileStorage reopened = new FileStorage(config(dir));
        List<RecoveredStream> streams = reopened.recover();
        assertThat(streams).extracting(r -> r.descriptor().name()).containsExactly("src", "fork");
        assertThat(streams.get(1).descriptor()).as("descriptor round-trips").isEqualTo(fork);
        StreamLog f = streams.get(1).log();
        assertThat(f.base()).isEqualTo(4);
        assertThat(f.tail()).isEqualTo(6);
        assertThat(readAll(f)).isEqualTo("XY");
        reopened.close();
    }

    @Test
    void segmentsRollAndReadsSpanThem() {
        FileStorage store = new FileStorage(config(dir));
        StreamDescriptor d = descriptor(store, "s");
        StreamLog log = store.createLog(d).join();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String s = "record-" + i + "-" + "x".repeat(i % 7) + ";";
            all.append(s);
            log.append(text(s)).join();
        }
        assertThat(readAll(log)).isEqualTo(all.toString());
        store.close();

        FileStorage reopened = new FileStorage(config(dir));
        StreamLog r = only(reopened.recover(), "s").log();
        assertThat(readAll(r)).isEqualTo(all.toString());
        assertThat(r.boundedEnd(0, r.tail(), 20, false)).isLessThanOrEqualTo(20);
        reopened.close();
        assertThat(segmentCount(d.incarnation())).isGreaterThan(3);
    }

    private long segmentCount(long inc) {
        try {
            return StreamRecovery.segmentBases(StoreFiles.streamDir(dir, inc)).size();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Path lastSegment(long inc, String suffix) throws IOException {
        Path streamDir = StoreFiles.streamDir(dir, inc);
        TreeSet<Long> bases = StreamRecovery.segmentBases(streamDir);
        long base = bases.last();
        return suffix.equals(StoreFiles.LOG_SUFFIX) ? StoreFiles.logFile(streamDir, base) : StoreFiles.dataFile(streamDir, base);
    }

    private static LogRecord next(RecordReader reader) throws IOException {
        try {
            return reader.next();
        } catch (RecordFormat.CorruptFrameException e) {
            throw new AssertionError(e);
        }
    }
}
