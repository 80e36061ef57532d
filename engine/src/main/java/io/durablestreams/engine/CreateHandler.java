package io.durablestreams.engine;

import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.durablestreams.engine.json.JsonMessages;
import io.durablestreams.engine.store.AppendEntry;
import io.durablestreams.engine.store.StreamDescriptor;
import io.durablestreams.engine.store.StreamLog;
import io.durablestreams.engine.store.StreamStorage;
import io.durablestreams.protocol.ContentTypes;
import io.durablestreams.protocol.Offset;
import io.durablestreams.protocol.ProtocolHeaders;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;

/** PUT: create a stream or a fork, idempotently (PROTOCOL.md §5.1, §4.2). */
final class CreateHandler {
    private static final System.Logger LOG = System.getLogger(CreateHandler.class.getName());
    private final StreamRegistry registry;
    private final StreamStorage storage;
    private final EngineConfig config;
    private final LongSupplier clock;

    private final java.util.function.Consumer<String> changed;

    CreateHandler(StreamRegistry registry, StreamStorage storage, EngineConfig config, LongSupplier clock,
                  java.util.function.Consumer<String> changed) {
        this.changed = changed;
        this.config = config;
        this.registry = registry;
        this.storage = storage;
        this.clock = clock;
    }

    /** The parsed and validated PUT. */
    private record Spec(String contentType, Long ttl, Instant expiresAt, String expiresAtText, boolean closed,
                        String forkedFrom, String forkOffsetText, Offset forkOffset, long subOffset, boolean restartable,
                        Long retentionAge, Long retentionBytes) {
        boolean isFork() {
            return forkedFrom != null;
        }
    }

    CompletableFuture<Response> handle(Request req) {
        Spec spec = parse(req);
        for (;;) {
            StreamState existing = registry.find(req.stream());
            if (existing != null) {
                return CompletableFuture.completedFuture(idempotent(existing, spec));
            }
            CompletableFuture<Response> created = tryCreate(req, spec);
            if (created != null) {
                return created;
            }
        }
    }

    private Spec parse(Request req) {
        String ct = req.header(ProtocolHeaders.CONTENT_TYPE);
        if (ct != null && ct.isBlank()) {
            ct = null;
        }
        if (ct != null && !ContentTypes.isValid(ct)) {
            throw Problem.badRequest("invalid-content-type", "Content-Type " + HeaderRules.quoted(ct) + " is not a media type");
        }
        String ttlText = req.header(ProtocolHeaders.STREAM_TTL);
        String expText = req.header(ProtocolHeaders.STREAM_EXPIRES_AT);
        if (ttlText != null && expText != null) {
            throw Problem.badRequest("ttl-and-expires-at", "Stream-TTL and Stream-Expires-At are mutually exclusive");
        }
        Long ttl = HeaderRules.ttl(ttlText);
        Instant expiresAt = HeaderRules.expiresAt(expText);
        // a stream that is expired when created would be gone before the client could use it
        if (ttl != null && ttl == 0) {
            throw Problem.badRequest("invalid-ttl", "Stream-TTL must be at least 1 second");
        }
        if (expiresAt != null && Expiry.millis(expiresAt) <= clock.getAsLong()) {
            throw Problem.badRequest("expires-in-past", "Stream-Expires-At " + HeaderRules.quoted(expText) + " has already passed");
        }
        boolean closed = HeaderRules.isTrue(req.header(ProtocolHeaders.STREAM_CLOSED));

        String forkedFrom = req.header(ProtocolHeaders.STREAM_FORKED_FROM);
        String forkOffsetText = req.header(ProtocolHeaders.STREAM_FORK_OFFSET);
        String subText = req.header(ProtocolHeaders.STREAM_FORK_SUB_OFFSET);
        if (forkedFrom == null && (forkOffsetText != null || subText != null)) {
            throw Problem.badRequest("invalid-fork", "Stream-Fork-Offset and Stream-Fork-Sub-Offset require Stream-Forked-From");
        }
        Offset forkOffset = null;
        if (forkOffsetText != null) {
            forkOffset = Offset.parse(forkOffsetText);
            if (forkOffset == null) {
                throw Problem.badRequest("invalid-offset", "Stream-Fork-Offset " + HeaderRules.quoted(forkOffsetText) + " is not an offset");
            }
        }
        long sub = HeaderRules.nonNegative(subText, ProtocolHeaders.STREAM_FORK_SUB_OFFSET, Integer.MAX_VALUE);
        String source = forkedFrom == null ? null : sourceName(forkedFrom, req);
        return new Spec(ct, ttl, expiresAt, expiresAt == null ? null : expText.trim(), closed, source,
                forkOffsetText, forkOffset, Math.max(0, sub), HeaderRules.isTrue(req.header(ProtocolHeaders.STREAM_RESTARTABLE)),
                retention(req, ProtocolHeaders.STREAM_RETENTION_AGE, HeaderRules.MAX_SAFE_INTEGER / 1000, config.defaultRetentionAgeSeconds()),
                retention(req, ProtocolHeaders.STREAM_RETENTION_BYTES, HeaderRules.MAX_SAFE_INTEGER, config.defaultRetentionBytes()));
    }

    /**
     * A retention policy: the header (1 to {@code max}), else the server's default (null: none).
     * 0 is refused: a stream that keeps nothing could not be read at all.
     */
    private static Long retention(Request req, String header, long max, Long fallback) {
        String text = req.header(header);
        if (text == null) {
            return fallback;
        }
        long v;
        try {
            v = HeaderRules.nonNegative(text.trim(), header, max);
        } catch (Problem p) {
            throw Problem.badRequest("invalid-retention", header + " must be a decimal integer from 1 to " + max + ", got " + HeaderRules.quoted(text));
        }
        if (v == 0) {
            throw Problem.badRequest("invalid-retention", header + " must be at least 1: a stream that keeps nothing cannot be read");
        }
        return v;
    }

    /** {@code Stream-Forked-From} is a URL path on this server; streams are keyed below the root. */
    static String sourceName(String header, Request req) {
        String value = header.trim();
        String root = rootPath(req.baseUrl());
        if (value.startsWith(root)) {
            value = value.substring(root.length());
        } else if (value.startsWith("/")) {
            throw Problem.notFound(value);
        }
        value = Names.decodePath(value);
        if (value.isEmpty()) {
            throw Problem.badRequest("invalid-fork", "Stream-Forked-From names no stream");
        }
        return value;
    }

    private static String rootPath(String baseUrl) {
        int scheme = baseUrl.indexOf("://");
        int slash = baseUrl.indexOf('/', scheme < 0 ? 0 : scheme + 3);
        return slash < 0 ? "/" : baseUrl.substring(slash);
    }

    private Response idempotent(StreamState s, Spec spec) {
        if (s.softDeleted) {
            throw Problem.conflict("stream-soft-deleted", "Stream name in use",
                    "stream " + Problem.clip(s.name) + " was deleted but still has forks; the name cannot be reused until they are gone");
        }
        boolean same = (spec.contentType == null
                        ? (spec.isFork() || ContentTypes.sameType(ContentTypes.DEFAULT, s.contentType))
                        : ContentTypes.sameType(spec.contentType, s.contentType))
                && Objects.equals(spec.ttl, s.ttlRequested)
                && Objects.equals(spec.expiresAt, s.expiresRequested)
                && spec.closed == s.closed
                && Objects.equals(spec.forkedFrom, s.forkedFromRequested)
                && (spec.forkOffsetText == null || Objects.equals(spec.forkOffset, Offset.parse(s.forkOffsetRequested == null ? "" : s.forkOffsetRequested)))
                && spec.subOffset == s.forkSubOffsetRequested
                && spec.restartable == s.restartable
                && Objects.equals(spec.retentionAge, s.retentionAgeSeconds)
                && Objects.equals(spec.retentionBytes, s.retentionBytes);
        if (!same) {
            throw Problem.conflict("stream-exists", "Stream already exists",
                    "stream " + Problem.clip(s.name) + " already exists with a different configuration");
        }
        return created(new Response(200), s);
    }

    /** What the new stream will be: a plain stream, or a fork with what it inherits. */
    private record Target(StreamState source, long base, String contentType, Long ttl, String expiresAt) {}

    private Target target(Spec spec) {
        if (!spec.isFork()) {
            return new Target(null, 0, spec.contentType == null ? ContentTypes.DEFAULT : spec.contentType, spec.ttl,
                    spec.expiresAtText);
        }
        StreamState source = registry.find(spec.forkedFrom);
        if (source == null) {
            throw new Problem(404, "source-not-found", "Source stream not found",
                    "fork source " + Problem.clip(spec.forkedFrom) + " does not exist");
        }
        if (source.softDeleted) {
            throw Problem.conflict("source-soft-deleted", "Source stream is deleted",
                    "fork source " + Problem.clip(spec.forkedFrom) + " was deleted");
        }
        if (spec.contentType != null && !ContentTypes.sameType(spec.contentType, source.contentType)) {
            throw Problem.conflict("content-type-mismatch", "Content type mismatch",
                    "fork Content-Type " + HeaderRules.quoted(spec.contentType) + " differs from the source's " + source.contentType);
        }
        long base = ForkPoints.resolve(source, spec.forkOffset, spec.subOffset);
        boolean inherits = spec.ttl == null && spec.expiresAt == null;
        return new Target(source, base, source.contentType, inherits ? source.ttlSeconds : spec.ttl,
                inherits ? source.expiresAtText : spec.expiresAtText);
    }

    /**
     * Creates the stream, or returns null when another request claimed the name first. The name
     * is claimed while the storage works, and the stream is published (readable, and answered
     * 200 on a repeated PUT) only once its creation is durable.
     */
    private CompletableFuture<Response> tryCreate(Request req, Spec spec) {
        Target t = target(spec);
        JsonMessages.Split initial = initialBody(req.body(), t.contentType);
        String name = req.stream();
        CompletableFuture<Void> claim = registry.claim(name);
        if (claim == null) {
            return null;
        }
        if (t.source != null && !registry.addForkRef(t.source)) {
            registry.endCreation(name, claim, null);
            return null;
        }
        // the fork starts where its source is served from now, read once the fork reference is counted:
        // from then on retention frees nothing of the source below it (RetentionSweep)
        long start = 0;
        long snapshot = -1;
        if (t.source != null) {
            synchronized (t.source) {
                start = t.source.retainedStart;
                snapshot = t.source.latestSnapshot;
            }
        }
        if (t.base < start) {
            registry.dropForkRef(t.source);
            registry.endCreation(name, claim, null);
            throw Retention.reclaimed(t.source, spec.forkOffset, start);
        }
        long initialStart = start;
        long initialSnapshot = snapshot;
        long now = clock.getAsLong();
        CompletableFuture<StreamState> created = CompletableFuture.completedFuture(null)
                .thenCompose(v -> storage.nextIncarnation())
                .thenCompose(id -> store(new StreamDescriptor(name, id, t.contentType, t.ttl, t.expiresAt, spec.ttl,
                        spec.expiresAtText, now, spec.forkedFrom, t.source == null ? 0 : t.source.incarnation, t.base,
                        spec.forkOffsetText, spec.subOffset, spec.restartable, spec.retentionAge, spec.retentionBytes,
                        initialStart, initialSnapshot), t.source, initial, spec.closed, now));
        return registry.track(created).handle((s, err) -> {
            registry.endCreation(name, claim, s);
            if (err != null) {
                if (t.source != null) {
                    registry.dropForkRef(t.source);
                }
                throw completion(err);
            }
            changed.accept(name);
            return created(new Response(201), s).header(ProtocolHeaders.LOCATION, req.baseUrl() + Names.encodePath(name));
        });
    }

    /** The new stream, once its log, initial data and closure are durable; the log is deleted if that fails. */
    private CompletableFuture<StreamState> store(StreamDescriptor d, StreamState source, JsonMessages.Split initial,
                                                 boolean closed, long now) {
        return storage.createLog(d).thenCompose(log -> {
            StreamState s = new StreamState(d, source, log, now);
            CompletableFuture<Void> durable;
            try {
                durable = initialize(s, initial, closed);
            } catch (RuntimeException e) {
                durable = CompletableFuture.failedFuture(e);
            }
            return durable.handle((v, err) -> {
                if (err != null) {
                    discard(log, d.name());
                    throw completion(err);
                }
                return s;
            });
        });
    }

    /** Writes the initial body and closure; the future completes when they and the creation are durable. */
    private static CompletableFuture<Void> initialize(StreamState s, JsonMessages.Split initial, boolean closed) {
        if (initial == null && !closed) {
            return s.log.sync();
        }
        byte[] data = initial == null ? new byte[0] : initial.data();
        int[] ends = initial == null ? new int[0] : initial.messageEnds();
        synchronized (s) {
            CompletableFuture<Void> durable = s.log.append(new AppendEntry(data, ends, null, null, closed, false, s.lastAccessMillis));
            // visible at once: nobody sees the stream before it is published, once this is durable
            s.writtenTail += data.length;
            s.visibleTail = s.writtenTail;
            s.closed = closed;
            s.closeVisible = closed;
            return durable;
        }
    }

    private static void discard(StreamLog log, String name) {
        CompletableFuture<Void> deleted;
        try {
            deleted = log.delete();
        } catch (RuntimeException e) {
            deleted = CompletableFuture.failedFuture(e);
        }
        deleted.whenComplete((v, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.WARNING, "removing the log of a failed creation of " + Problem.clip(name) + " failed", e);
            }
        });
    }

    private static CompletionException completion(Throwable err) {
        return err instanceof CompletionException ce ? ce : new CompletionException(err);
    }

    private static JsonMessages.Split initialBody(byte[] body, String contentType) {
        if (body.length == 0) {
            return null;
        }
        if (!ContentTypes.isJson(contentType)) {
            return new JsonMessages.Split(body, new int[] {body.length});
        }
        try {
            JsonMessages.Split split = JsonMessages.split(body);
            return split.count() == 0 ? null : split;
        } catch (JsonMessages.InvalidJsonException e) {
            throw Problem.badRequest("invalid-json", e.getMessage());
        }
    }

    private static Response created(Response r, StreamState s) {
        Retention.describe(Incarnations.tag(r, s), s).header(ProtocolHeaders.CONTENT_TYPE, s.contentType)
                .header(ProtocolHeaders.STREAM_NEXT_OFFSET, s.offsetOf(s.visibleTail).toString());
        if (s.closeVisible) {
            r.header(ProtocolHeaders.STREAM_CLOSED, "true");
        }
        return r;
    }
}
