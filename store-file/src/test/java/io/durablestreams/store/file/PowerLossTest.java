package io.durablestreams.store.file;

import static io.durablestreams.store.file.StoreFixture.config;
import static io.durablestreams.store.file.StoreFixture.descriptor;
import static io.durablestreams.store.file.StoreFixture.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.store.AppendEntry;
import io.durablestreams.engine.store.ProducerTuple;
import io.durablestreams.engine.store.RecoveredStream;
import io.durablestreams.engine.store.StreamLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power cuts at random moments ({@link PowerLoss}): the streams' own files keep only what a
 * checkpoint forced (plus random pages), the journal only what a sync round forced (plus random
 * pages). Every acknowledged append must come back exactly once, in order, with the producer
 * state it set; appends in flight may come back or not, but only as a prefix of what was sent.
 * Small journal files make checkpoint cycles (rotation, forcing, journal deletion) run during the
 * appends. Replay: the seed is the failing repetition's index.
 */
class PowerLossTest {
    @TempDir
    Path dir;

    /** What a stream was sent: acknowledged records first, then those in flight at the cut. */
    private static final class Model {
        final StreamLog log;
        final String name;
        final List<String> acked = new ArrayList<>();
        final List<String> inFlight = new ArrayList<>();
        final List<CompletableFuture<Void>> pending = new ArrayList<>();
        boolean closeSent;

        Model(StreamLog log, String name) {
            this.log = log;
            this.name = name;
        }
    }

    @Test
    void acknowledgedAppendsSurviveAPowerCutAtARandomMoment() throws IOException {
        for (int seed = Integer.getInteger("seed", 0); seed < Integer.getInteger("seedEnd", 60); seed++) {
            Path storeDir = Files.createDirectory(dir.resolve("seed-" + seed));
            Random random = new Random(seed);
            PowerLoss power = new PowerLoss(storeDir);
            FileStorage store = new FileStorage(config(storeDir).withOpener(power.opener()).withJournalFileBytes(2048));
            Map<String, Model> streams = new LinkedHashMap<>();
            int ops = 20 + random.nextInt(120);
            int created = 0;
            for (int op = 0; op < ops; op++) {
                int choice = random.nextInt(100);
                if (streams.isEmpty() || choice < 6) {
                    String name = "s" + created++;
                    streams.put(name, new Model(store.createLog(descriptor(store, name)).join(), name));
                    continue;
                }
                Model m = pick(streams, random);
                if (m.closeSent || !m.inFlight.isEmpty() && choice < 50) {
                    continue;
                }
                if (choice < 9) {
                    m.log.delete().join();
                    streams.remove(m.name);
                    continue;
                }
                boolean close = choice < 12;
                String payload = close ? "" : m.name + "r" + (m.acked.size() + m.inFlight.size()) + "x".repeat(random.nextInt(90)) + ";";
                int seq = m.acked.size() + m.inFlight.size();
                CompletableFuture<Void> f = m.log.append(entry(payload, m.name, seq, close));
                m.closeSent = close;
                if (random.nextInt(4) == 0) {
                    m.inFlight.add(payload); // left in flight: the cut may come before its round
                    m.pending.add(f);
                } else {
                    settle(m);
                    f.join();
                    m.acked.add(payload);
                }
            }
            // the cut: what completed before it is acknowledged
            for (Model m : streams.values()) {
                int done = 0;
                while (done < m.pending.size() && m.pending.get(done).isDone() && !m.pending.get(done).isCompletedExceptionally()) {
                    done++;
                }
                m.acked.addAll(m.inFlight.subList(0, done));
                m.inFlight.subList(0, done).clear();
            }
            power.freeze();
            store.abandon();
            power.cut(random);

            FileStorage reopened = new FileStorage(config(storeDir));
            Map<String, RecoveredStream> recovered = new HashMap<>();
            reopened.recover().forEach(r -> recovered.put(r.descriptor().name(), r));
            assertThat(recovered.keySet()).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(streams.keySet());
            for (Model m : streams.values()) {
                RecoveredStream r = recovered.get(m.name);
                String content = readAll(r.log());
                String acked = String.join("", m.acked);
                String sent = acked + String.join("", m.inFlight);
                assertThat(content).as("seed %d stream %s", seed, m.name).startsWith(acked);
                assertThat(sent).as("seed %d stream %s", seed, m.name).startsWith(content);
                // records that survived: the content is their concatenation (only a final close record is empty)
                List<String> all = new ArrayList<>(m.acked);
                all.addAll(m.inFlight);
                int n = m.acked.size();
                while (String.join("", all.subList(0, n)).length() < content.length()) {
                    n++;
                }
                boolean closeSurvived = r.closed();
                int survived = closeSurvived && m.closeSent ? all.size() : n;
                assertThat(survived).as("seed %d stream %s", seed, m.name).isGreaterThanOrEqualTo(m.acked.size());
                if (survived > 0) {
                    assertThat(r.producers().get(m.name)).as("seed %d stream %s", seed, m.name).containsExactly(0, survived - 1);
                }
                if (m.closeSent && m.acked.size() == all.size()) {
                    assertThat(r.closed()).as("seed %d stream %s: acknowledged close", seed, m.name).isTrue();
                }
            }
            // the recovered store takes appends and survives a second crash without a cut
            Map<String, String> expected = new HashMap<>();
            for (RecoveredStream r : recovered.values()) {
                String before = readAll(r.log());
                if (!r.closed()) {
                    r.log().append(new AppendEntry("after;".getBytes(StandardCharsets.UTF_8), new int[] {6}, null, null, false, false, 0)).join();
                    before += "after;";
                }
                expected.put(r.descriptor().name(), before);
            }
            reopened.abandon();
            FileStorage third = new FileStorage(config(storeDir));
            for (RecoveredStream r : third.recover()) {
                assertThat(readAll(r.log())).as("seed %d", seed).isEqualTo(expected.get(r.descriptor().name()));
            }
            third.close();
        }
    }

    /**
     * A process crash keeps the page cache, so recovery finds the streams' files whole and has
     * nothing to replay; but it deletes the journal, so it must force those files first.
     */
    @Test
    void aPowerCutRightAfterRecoveryFromAProcessCrashLosesNothing() throws IOException {
        for (int seed = 0; seed < 20; seed++) {
            Path storeDir = Files.createDirectory(dir.resolve("seed-" + seed));
            Random random = new Random(seed);
            PowerLoss power = new PowerLoss(storeDir);
            FileStorage store = new FileStorage(config(storeDir).withOpener(power.opener()).withJournalFileBytes(2048));
            Map<String, String> acked = new LinkedHashMap<>();
            List<StreamLog> logs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                logs.add(store.createLog(descriptor(store, "s" + i)).join());
                acked.put("s" + i, "");
            }
            for (int n = 0; n < 10 + random.nextInt(60); n++) {
                int i = random.nextInt(3);
                String payload = "s" + i + "r" + n + "x".repeat(random.nextInt(40)) + ";";
                logs.get(i).append(entry(payload, "s" + i, n, false)).join();
                acked.merge("s" + i, payload, String::concat);
            }
            store.abandon();

            FileStorage recovered = new FileStorage(config(storeDir).withOpener(power.opener()));
            power.freeze();
            recovered.abandon();
            power.cut(random);

            FileStorage third = new FileStorage(config(storeDir));
            for (RecoveredStream r : third.recover()) {
                assertThat(readAll(r.log())).as("seed %d stream %s", seed, r.descriptor().name())
                        .isEqualTo(acked.get(r.descriptor().name()));
            }
            third.close();
        }
    }

    private static void settle(Model m) {
        m.pending.forEach(CompletableFuture::join);
        m.acked.addAll(m.inFlight);
        m.inFlight.clear();
        m.pending.clear();
    }

    private static Model pick(Map<String, Model> streams, Random random) {
        List<Model> all = new ArrayList<>(streams.values());
        return all.get(random.nextInt(all.size()));
    }

    private static AppendEntry entry(String payload, String producer, long seq, boolean close) {
        byte[] b = payload.getBytes(StandardCharsets.UTF_8);
        return new AppendEntry(b, b.length == 0 ? new int[0] : new int[] {b.length}, new ProducerTuple(producer, 0, seq), null, close, false, 0);
    }
}
