package io.durablestreams.engine;

import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.store.SharedStream;
import io.durablestreams.engine.store.SharedStreams;
import io.durablestreams.engine.store.StreamChange;
import io.durablestreams.protocol.Offset;
import io.durablestreams.protocol.ProtocolHeaders;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps this node's stream entries true to a shared store. Before a request runs, it loads the
 * streams the request touches as committed now (the stream, and a fork's source on PUT), with the
 * chunks a read will need; so no request is answered from what this node merely remembers. When
 * another node commits a change, the store's notification makes it reload the streams that live
 * readers here wait on, which wakes them.
 *
 * <p>Why no wake-up is lost: a reader registers its wait against the tail a load gave it. A
 * commit after that load notifies every node. If the reader is registered then, the reload the
 * notification triggers wakes it. If not, the notification is noted on the entry, and the reader,
 * registering later, finds a note newer than the entry's last load and reloads it (waking itself
 * if the change concerns it). A notification that carries the committed state of a write is
 * taken in directly instead (no load; a state taken in is as true as a load's, so no note is
 * needed). When notifications may have been lost, the store reports it: every entry is noted and
 * every watched stream reloads.
 */
final class SharedLoader {
    private static final System.Logger LOG = System.getLogger(SharedLoader.class.getName());
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private final SharedStreams shared;
    private final StreamRegistry registry;
    private final EngineConfig config;
    /** Streams being reloaded after a change → whether another change arrived meanwhile. */
    private final java.util.concurrent.ConcurrentHashMap<String, Boolean> reloading = new java.util.concurrent.ConcurrentHashMap<>();

    SharedLoader(SharedStreams shared, StreamRegistry registry, EngineConfig config) {
        this.shared = shared;
        this.registry = registry;
        this.config = config;
        registry.onRecheck(s -> reload(s.name, s.visibleTail));
        shared.onChange(this::changed);
    }

    /**
     * Loads what {@code request} touches into the registry; completes when it is there.
     *
     * @param again whether the request runs again because the store changed under it: then even
     *              a write loads (what it had cached was stale)
     */
    CompletableFuture<Void> load(Request request, boolean again) {
        if (!again && request.method().equals("POST") && request.header(ProtocolHeaders.STREAM_INCARNATION) == null) {
            StreamState cached = registry.cached(request.stream());
            if (cached != null && !cached.removed && !cached.softDeleted) {
                // a write needs only what never changes in an incarnation (content type, JSON mode): the
                // store decides it against the committed state, and a stale incarnation conflicts and reloads
                return DONE;
            }
        }
        CompletableFuture<Void> own = load(request.stream(), readFrom(request));
        if (request.method().equals("PUT")) {
            String source = request.header(ProtocolHeaders.STREAM_FORKED_FROM);
            if (source != null) {
                String name;
                try {
                    name = CreateHandler.sourceName(source, request);
                } catch (Problem p) {
                    return own; // the handler reports it
                }
                return CompletableFuture.allOf(own, load(name, forkPosition(request)));
            }
        }
        return own;
    }

    private CompletableFuture<Void> load(String name, long readFrom) {
        long load = registry.beginLoad();
        return shared.load(name, readFrom, config.readChunkBytes())
                .thenAccept(committed -> registry.reconcile(name, committed, load));
    }

    /** Loads one stream's committed state, without data; completes with its entry, or null when no stream has the name. */
    CompletableFuture<StreamState> entry(String name) {
        long load = registry.beginLoad();
        return shared.load(name, -1, 0).thenApply(committed -> registry.reconcile(name, committed, load));
    }

    /** Loads one stream and waits for it: for callers on their own threads (subscriptions), never an event loop. */
    void loadNow(String name) {
        load(name, -1).join();
    }

    /** Where a GET will start reading (the chunks to load with the stream), or -1. */
    private static long readFrom(Request request) {
        if (!request.method().equals("GET")) {
            return -1;
        }
        String offset = request.param("offset");
        if (offset == null || offset.equals(Offset.BEGINNING)) {
            return 0;
        }
        Offset parsed = Offset.parse(offset);
        return parsed == null ? -1 : parsed.position();
    }

    private static long forkPosition(Request request) {
        String offset = request.header(ProtocolHeaders.STREAM_FORK_OFFSET);
        Offset parsed = offset == null ? null : Offset.parse(offset.trim());
        return parsed == null ? -1 : parsed.position();
    }

    /** A change another node committed (null: any stream may have changed). */
    private void changed(StreamChange change) {
        if (change == null) {
            long notice = registry.beginLoad();
            for (StreamState s : registry.all()) {
                s.lastNotice = notice;
                if (s.waiterCount() > 0) {
                    reload(s.name, s.visibleTail);
                }
            }
            return;
        }
        StreamState s = registry.cached(change.name());
        if (s == null) {
            return;
        }
        if (change.log() != null && change.log() == s.log) {
            // the notification carried the committed state, and the store has brought this entry's log
            // up to it: taken in like a load, without one (the wake-up path across nodes)
            registry.takeCommitted(s, change);
            return;
        }
        // noted even without readers: one that loaded before this change and registers after it
        // sees the note and reloads (StreamState.addWaiter)
        s.lastNotice = registry.beginLoad();
        if (s.waiterCount() > 0) {
            reload(s.name, s.visibleTail);
        }
    }

    /**
     * Reloads a stream readers wait on, with the chunks after the tail they saw. At most one reload
     * per stream runs at a time: changes that arrive meanwhile are covered by one more reload when
     * it ends, so a busy stream costs one load per round trip, not one per append.
     */
    private void reload(String name, long from) {
        // atomically: start a reload when none runs, else ask the running one to go again when it ends
        if (Boolean.TRUE.equals(reloading.compute(name, (k, running) -> running != null))) {
            return;
        }
        load(name, from).whenComplete((v, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.WARNING, "reloading stream " + Problem.clip(name) + " after a change failed: " + e);
            }
            boolean again = Boolean.TRUE.equals(reloading.remove(name));
            StreamState s = registry.cached(name);
            if (again && s != null && s.waiterCount() > 0) {
                reload(name, s.visibleTail);
            }
        });
    }
}
