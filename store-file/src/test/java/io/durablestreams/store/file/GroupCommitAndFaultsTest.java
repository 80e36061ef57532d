package io.durablestreams.store.file;

import static io.durablestreams.store.file.StoreFixture.config;
import static io.durablestreams.store.file.StoreFixture.descriptor;
import static io.durablestreams.store.file.StoreFixture.only;
import static io.durablestreams.store.file.StoreFixture.produced;
import static io.durablestreams.store.file.StoreFixture.readAll;
import static io.durablestreams.store.file.StoreFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.StreamLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit ordering, the open-file bound, and injected I/O failures. */
class GroupCommitAndFaultsTest {
    @TempDir
    Path dir;

    @Test
    void futuresOfOneLogCompleteInCallOrderWhileManyStreamsAppendConcurrently() throws InterruptedException {
        FileStorage store = new FileStorage(config(dir));
        int streams = 8;
        int appends = 200;
        List<List<Integer>> completed = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        List<CompletableFuture<Void>> all = Collections.synchronizedList(new ArrayList<>());
        for (int s = 0; s < streams; s++) {
            StreamLog log = store.createLog(descriptor(store, "s" + s)).join();
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            completed.add(order);
            writers.add(new Thread(() -> {
                for (int i = 0; i < appends; i++) {
                    int n = i;
                    all.add(log.append(text(i + ",")).thenRun(() -> order.add(n)));
                }
            }));
        }
        writers.forEach(Thread::start);
        for (Thread t : writers) {
            t.join();
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).join();

        for (List<Integer> order : completed) {
            assertThat(order).hasSize(appends).isSorted();
        }
        store.close();
    }

    @Test
    void underTheIntervalPolicyAppendsAreAcknowledgedAtOnceAndStillRecovered() {
        FileStorage store = new FileStorage(config(dir).withFsync(FsyncPolicy.INTERVAL, 3_600_000));
        StreamLog log = store.createLog(descriptor(store, "s")).join();

        assertThat(log.append(text("a;"))).isCompleted();
        assertThat(log.append(text("b;"))).isCompleted();
        store.abandon(); // a process crash: the page cache survives

        FileStorage reopened = new FileStorage(config(dir));
        assertThat(readAll(only(reopened.recover(), "s").log())).isEqualTo("a;b;");
        reopened.close();
    }

    @Test
    void openFilesStayWithinTheConfiguredBound() {
        FileStorage store = new FileStorage(config(dir).withMaxOpenFiles(4));
        List<StreamLog> logs = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            StreamLog log = store.createLog(descriptor(store, "s" + s)).join();
            log.append(text("data-" + s)).join();
            logs.add(log);
        }
        for (StreamLog log : logs) {
            assertThat(readAll(log)).startsWith("data-");
        }

        // files with bytes not yet forced stay pinned (open) until the checkpointer forces them, which
        // it does early when a quarter of the bound holds such files: the bound holds once it has run
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (store.openFileCount() > 4 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(5_000_000);
        }
        assertThat(store.openFileCount()).isLessThanOrEqualTo(4);
        store.close();
    }

    @Test
    void aFullDiskFailsTheAppendWithStorageFullAndAppendsResumeWhenSpaceReturns() {
        FaultyChannel.Faults faults = new FaultyChannel.Faults();
        FileStorage store = new FileStorage(config(dir).withOpener(FaultyChannel.opener(faults)));
        StreamLog victim = store.createLog(descriptor(store, "victim")).join();
        StreamLog other = store.createLog(descriptor(store, "other")).join();
        victim.append(text("acked;")).join();

        faults.tornBytes = 3;
        faults.onWrite = new IOException("No space left on device");
        assertThatThrownBy(() -> victim.append(text("lost;"))).isInstanceOf(StorageFullException.class);
        faults.onWrite = null;

        assertThat(victim.tail()).as("the log is as before the failed call").isEqualTo(6);
        assertThat(readAll(victim)).isEqualTo("acked;");
        victim.append(text("later;")).join(); // space returned: the same stream appends again
        other.append(text("fine;")).join();
        store.abandon();

        FileStorage reopened = new FileStorage(config(dir));
        var streams = reopened.recover();
        assertThat(readAll(only(streams, "victim").log())).isEqualTo("acked;later;");
        assertThat(readAll(only(streams, "other").log())).isEqualTo("fine;");
        reopened.close();
    }

    @Test
    void aFailedJournalWriteStoresNothingAndAppendsResume() throws IOException {
        FaultyChannel.Faults faults = new FaultyChannel.Faults();
        ChannelOpener faulty = FaultyChannel.opener(faults);
        ChannelOpener journalOnly = (path, options) -> path.getFileName().toString().endsWith(Journal.SUFFIX)
                ? faulty.open(path, options) : ChannelOpener.DEFAULT.open(path, options);
        FileStorage store = new FileStorage(config(dir).withOpener(journalOnly));
        StreamDescriptor d = descriptor(store, "s");
        StreamLog log = store.createLog(d).join();
        log.append(produced("one;", "p", 0, 0)).join();

        faults.onWrite = new IOException("No space left on device");
        faults.tornBytes = 30;
        assertThatThrownBy(() -> log.append(produced("lost;", "p", 0, 1))).isInstanceOf(StorageFullException.class);
        assertThat(log.tail()).isEqualTo(4);
        faults.onWrite = null;
        log.append(produced("two;", "p", 0, 1)).join();
        assertThat(readAll(log)).isEqualTo("one;two;");
        store.abandon();
        // only the journal can bring the stream back: its torn bytes were cut, so the record after them replays
        Path streamDir = StoreFiles.streamDir(dir, d.incarnation());
        Files.delete(StoreFiles.dataFile(streamDir, 0));
        Files.delete(StoreFiles.logFile(streamDir, 0));

        FileStorage reopened = new FileStorage(config(dir));
        RecoveredStream r = only(reopened.recover(), "s");
        assertThat(readAll(r.log())).isEqualTo("one;two;");
        assertThat(r.producers().get("p")).containsExactly(0, 1);
        reopened.close();
    }

    @Test
    void aFailedFsyncFailsTheAppendAndTurnsTheStoreReadOnlyUntilRestart() {
        FaultyChannel.Faults faults = new FaultyChannel.Faults();
        FileStorage store = new FileStorage(config(dir).withOpener(FaultyChannel.opener(faults)));
        StreamLog log = store.createLog(descriptor(store, "s")).join();
        StreamLog other = store.createLog(descriptor(store, "other")).join();
        log.append(text("acked;")).join();
        other.sync().join();

        faults.onForce = new IOException("Input/output error");
        CompletableFuture<Void> failed = log.append(text("unsure;"));

        assertThatThrownBy(failed::join).hasCauseInstanceOf(StorageIOException.class)
                .cause().isNotInstanceOf(StorageFullException.class);
        faults.onForce = null;
        assertThatThrownBy(() -> other.append(text("refused;")).join()).hasCauseInstanceOf(StorageIOException.class);
        assertThat(log.read(0, 6)).isNotEmpty(); // reads keep working
        store.abandon();

        FileStorage reopened = new FileStorage(config(dir));
        assertThat(readAll(only(reopened.recover(), "s").log())).startsWith("acked;");
        reopened.createLog(descriptor(reopened, "new")).join().append(text("writable again")).join();
        reopened.close();
    }
}
