package io.durablestreams.engine;

import io.durablestreams.engine.http.Request;
import io.durablestreams.engine.http.Response;
import io.durablestreams.engine.json.JsonMessages;
import io.durablestreams.engine.live.Waiter;
import io.durablestreams.engine.store.AppendEntry;
import io.durablestreams.engine.store.ProducerTuple;
import io.durablestreams.engine.store.SharedStreams;
import io.durablestreams.protocol.ContentTypes;
import io.durablestreams.protocol.Offset;
import io.durablestreams.protocol.ProtocolHeaders;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * POST: append, append-and-close, close-only, with {@code Stream-Seq} and idempotent producers
 * (PROTOCOL.md §5.2, §5.2.1, §5.3). Validation and the append happen under the stream lock, so
 * they are serialized per stream (and hence per stream and producer); the response is sent when
 * the storage reports the append durable, and only then do readers see it.
 */
final class AppendHandler {
    private static final int[] NO_MESSAGES = new int[0];
    private final StreamRegistry registry;
    private final LongSupplier clock;
    private final java.util.function.Consumer<String> changed;
    /** The store that decides every write when nodes share it; null when this node's lock does. */
    private final SharedStreams shared;
    /** Told of a stream whose snapshot append became visible (its earlier data may now be freed). */
    private final java.util.function.Consumer<StreamState> snapshotted;

    AppendHandler(StreamRegistry registry, LongSupplier clock, java.util.function.Consumer<String> changed, SharedStreams shared,
                  java.util.function.Consumer<StreamState> snapshotted) {
        this.snapshotted = snapshotted;
        this.registry = registry;
        this.clock = clock;
        this.changed = changed;
        this.shared = shared;
    }

    CompletableFuture<Response> handle(Request req) {
        ProducerTuple producer = producer(req);
        Offset condition = condition(req);
        if (condition != null && producer != null) {
            throw Problem.badRequest("conditional-producer",
                    "If-Match and producer headers cannot be combined: a conditional append is decided by the tail, a producer's by its seq");
        }
        boolean close = HeaderRules.isTrue(req.header(ProtocolHeaders.STREAM_CLOSED));
        String streamSeq = req.header(ProtocolHeaders.STREAM_SEQ);
        byte[] body = req.body();
        if (body.length == 0 && !close) {
            throw Problem.badRequest("empty-body", "Empty body: an append needs data (or Stream-Closed: true to close)");
        }
        boolean snapshot = snapshot(req.header(ProtocolHeaders.STREAM_SNAPSHOT));
        if (snapshot && body.length == 0) {
            throw Problem.badRequest("empty-snapshot", "Stream-Snapshot marks an append's data; a close without data cannot be a snapshot");
        }
        String contentType = req.header(ProtocolHeaders.CONTENT_TYPE);
        if (body.length > 0 && (contentType == null || contentType.isBlank())) {
            throw Problem.badRequest("missing-content-type", "Content-Type is required on an append with a body");
        }
        StreamState s = registry.require(req.stream());
        long now = clock.getAsLong();
        s.touch(now);
        String incarnation = req.header(ProtocolHeaders.STREAM_INCARNATION);
        long expectedTail = expectedTail(s, condition);
        if (body.length == 0) {
            if (shared != null) {
                return appendShared(s, new AppendEntry(new byte[0], NO_MESSAGES, producer, null, true, false, now), true, null, incarnation,
                        contentType, expectedTail);
            }
            return closeOnly(s, producer, incarnation, expectedTail);
        }
        boolean typeMatches = ContentTypes.sameType(contentType, s.contentType);
        JsonMessages.Split messages = null;
        Problem invalid = null;
        if (typeMatches) {
            if (s.json) {
                try {
                    messages = JsonMessages.split(body);
                    if (messages.count() == 0) {
                        invalid = Problem.badRequest("empty-json-array", "Empty arrays are not allowed: an append of [] adds nothing");
                    }
                } catch (JsonMessages.InvalidJsonException e) {
                    invalid = Problem.badRequest("invalid-json", "Invalid JSON: " + e.getMessage());
                }
            } else {
                messages = new JsonMessages.Split(body, new int[] {body.length});
            }
        }
        if (shared != null) {
            AppendEntry entry = messages == null ? new AppendEntry(body, new int[] {body.length}, producer, streamSeq, close, snapshot, now)
                    : new AppendEntry(messages.data(), messages.messageEnds(), producer, streamSeq, close, snapshot, now);
            return appendShared(s, entry, typeMatches, invalid, incarnation, contentType, expectedTail);
        }
        return append(s, contentType, typeMatches, messages, invalid, producer, streamSeq, close, incarnation, expectedTail,
                snapshot, now);
    }

    /** {@code Stream-Snapshot}: "true" or "false" (any case); anything else is refused rather than ignored. */
    private static boolean snapshot(String value) {
        if (value == null || value.trim().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.trim().equalsIgnoreCase("true")) {
            return true;
        }
        throw Problem.badRequest("invalid-header", ProtocolHeaders.STREAM_SNAPSHOT + " must be true or false, got " + HeaderRules.quoted(value));
    }

    /**
     * The tail a conditional append names in {@code If-Match}: the {@code Stream-Next-Offset} its
     * writer last saw, as an entity tag ({@code "offset"}) or bare; null without a condition (or
     * with {@code *}, which any existing stream meets).
     */
    private static Offset condition(Request req) {
        String value = req.header(ProtocolHeaders.IF_MATCH);
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.equals("*")) {
            return null;
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        Offset parsed = Offset.parse(v);
        if (parsed == null) {
            throw Problem.badRequest("invalid-if-match",
                    "If-Match must name one offset the stream returned in Stream-Next-Offset, e.g. If-Match: \"" + new Offset(0, 0) + "\"");
        }
        return parsed;
    }

    /**
     * The position a condition requires, or -1 without one. An offset this stream's chain never
     * minted (another incarnation's) can match no tail.
     */
    private static long expectedTail(StreamState s, Offset condition) {
        if (condition == null) {
            return -1;
        }
        return s.offsetOf(condition.position()).equals(condition) ? condition.position() : Long.MAX_VALUE;
    }

    /**
     * A write to a stream nodes share: the store decides it against the committed writer state
     * (the same {@link WriterRules}, under its own lock of the stream) and commits it; this node
     * answers from that decision and, for an accepted write, makes it visible here and wakes the
     * readers here (other nodes' readers are woken by the store's notification). An invalid JSON
     * body is decided without storing: refusals that come first in protocol order still win.
     */
    private CompletableFuture<Response> appendShared(StreamState s, AppendEntry entry, boolean typeMatches, Problem invalid,
                                                     String incarnation, String contentType, long expectedTail) {
        checkLive(s);
        Incarnations.checkPrecondition(s, incarnation);
        ProducerTuple producer = entry.producer();
        boolean closeOnly = !entry.hasData();
        return registry.track(shared.write(s.log, entry, typeMatches, invalid != null, expectedTail)).thenApply(result -> {
            WriterRules.Verdict verdict = result.verdict();
            List<Waiter> toWake = s.committed(result.tail(), result.closed(), result.closedBy(), result.lastStreamSeq(), false, 0, 0);
            toWake.forEach(Waiter::wake);
            Tail tail = new Tail(s.offsetOf(result.tail()).toString(), result.closed(), result.lastStreamSeq());
            switch (verdict.kind()) {
                case ACCEPT -> {
                    if (invalid != null) {
                        throw invalid;
                    }
                    changed.accept(s.name);
                    Response ok = accepted(s, producer, entry.close(), closeOnly, tail);
                    if (entry.snapshot()) {
                        ok.header(ProtocolHeaders.STREAM_EARLIEST_OFFSET, s.offsetOf(result.tail() - entry.data().length).toString());
                    }
                    return ok;
                }
                case CLOSE_REPEATED -> {
                    if (closeOnly) {
                        return withProducer(closedOk(s, tail), producer, producer == null ? -1 : producer.seq());
                    }
                    return duplicate(s, producer, verdict.lastSeq(), tail);
                }
                case CONTENT_TYPE_MISMATCH -> throw contentTypeMismatch(s, contentType);
                default -> {
                    return rejected(s, producer, entry.streamSeq(), verdict, tail).join();
                }
            }
        });
    }

    /** The writer state a response describes: the tail as an offset, closure, the last Stream-Seq. */
    private record Tail(String nextOffset, boolean closed, String lastStreamSeq) {
        static Tail of(StreamState s) {
            return new Tail(s.offsetOf(s.writtenTail).toString(), s.closed, s.lastStreamSeq);
        }
    }

    private static Problem contentTypeMismatch(StreamState s, String contentType) {
        return Problem.conflict("content-type-mismatch", "Content type mismatch",
                "Content-Type " + HeaderRules.quoted(contentType) + " does not match the stream's " + s.contentType);
    }

    /** The answer to an accepted write: 200 with the producer's numbers, else 204; the new tail. */
    private static Response accepted(StreamState s, ProducerTuple producer, boolean close, boolean closeOnly, Tail tail) {
        Response ok = Incarnations.tag(new Response(producer != null && !closeOnly ? 200 : 204), s)
                .header(ProtocolHeaders.STREAM_NEXT_OFFSET, tail.nextOffset());
        withProducer(ok, producer, producer == null ? -1 : producer.seq());
        if (close) {
            ok.header(ProtocolHeaders.STREAM_CLOSED, "true");
        }
        return ok;
    }

    private static Response withProducer(Response r, ProducerTuple producer, long seq) {
        if (producer != null) {
            r.header(ProtocolHeaders.PRODUCER_EPOCH, Long.toString(producer.epoch()))
                    .header(ProtocolHeaders.PRODUCER_SEQ, Long.toString(seq));
        }
        return r;
    }

    private CompletableFuture<Response> append(StreamState s, String contentType, boolean typeMatches,
                                               JsonMessages.Split messages, Problem invalid,
                                               ProducerTuple producer, String streamSeq, boolean close,
                                               String incarnation, long expectedTail, boolean snapshot, long now) {
        CompletableFuture<Void> stored;
        Response ok;
        long newTail;
        long snapshotAt;
        synchronized (s) {
            checkLive(s);
            Incarnations.checkPrecondition(s, incarnation);
            WriterRules.Verdict verdict = decide(s, true, typeMatches, producer, streamSeq, expectedTail);
            switch (verdict.kind()) {
                case ACCEPT -> {
                    if (invalid != null) {
                        throw invalid;
                    }
                }
                case CLOSE_REPEATED -> {
                    return whenDurable(s, duplicate(s, producer, verdict.lastSeq(), Tail.of(s)));
                }
                case CONTENT_TYPE_MISMATCH -> throw contentTypeMismatch(s, contentType);
                default -> {
                    return rejected(s, producer, streamSeq, verdict, Tail.of(s));
                }
            }
            snapshotAt = snapshot ? s.writtenTail : -1;
            stored = s.log.append(new AppendEntry(messages.data(), messages.messageEnds(), producer, streamSeq, close, snapshot, now));
            s.writtenTail += messages.data().length;
            newTail = s.writtenTail;
            commitWriterState(s, producer, streamSeq, close);
            ok = accepted(s, producer, close, false, Tail.of(s));
            if (snapshot) {
                ok.header(ProtocolHeaders.STREAM_EARLIEST_OFFSET, s.offsetOf(snapshotAt).toString());
            }
        }
        return publishWhenStored(s, stored, newTail, close, snapshotAt, ok);
    }

    private CompletableFuture<Response> closeOnly(StreamState s, ProducerTuple producer, String incarnation, long expectedTail) {
        CompletableFuture<Void> stored;
        Response ok;
        long tail;
        synchronized (s) {
            checkLive(s);
            Incarnations.checkPrecondition(s, incarnation);
            WriterRules.Verdict verdict = decide(s, false, true, producer, null, expectedTail);
            if (verdict.kind() == WriterRules.Kind.CLOSE_REPEATED) {
                return whenDurable(s, withProducer(closedOk(s, Tail.of(s)), producer, producer == null ? -1 : producer.seq()));
            }
            if (!verdict.accepted()) {
                return rejected(s, producer, null, verdict, Tail.of(s));
            }
            stored = s.log.append(new AppendEntry(new byte[0], NO_MESSAGES, producer, null, true, false, clock.getAsLong()));
            commitWriterState(s, producer, null, true);
            tail = s.writtenTail;
            ok = accepted(s, producer, true, true, Tail.of(s));
        }
        return publishWhenStored(s, stored, tail, true, -1, ok);
    }

    private static void checkLive(StreamState s) {
        if (s.removed) {
            throw Problem.notFound(s.name);
        }
        if (s.softDeleted) {
            throw Problem.gone(s.name);
        }
    }

    private static void commitWriterState(StreamState s, ProducerTuple producer, String streamSeq, boolean close) {
        if (producer != null) {
            ProducerState ps = s.producers.get(producer.id());
            if (ps == null) {
                s.producers.put(producer.id(), new ProducerState(producer.epoch(), producer.seq()));
            } else {
                ps.epoch = producer.epoch();
                ps.lastSeq = producer.seq();
            }
        }
        if (streamSeq != null) {
            s.lastStreamSeq = streamSeq;
        }
        if (close) {
            s.closed = true;
            s.closedBy = producer;
        }
    }

    /**
     * Makes the append visible and answers the writer once stored, then wakes live readers. A
     * snapshot ({@code snapshotAt >= 0}) becomes the stream's start at the same moment: readers
     * from -1 then begin at it.
     */
    private CompletableFuture<Response> publishWhenStored(StreamState s, CompletableFuture<Void> stored,
                                                                 long newTail, boolean close, long snapshotAt, Response ok) {
        CompletableFuture<Response> out = new CompletableFuture<>();
        registry.track(stored).whenComplete((v, err) -> {
            if (err != null) {
                out.completeExceptionally(err);
                return;
            }
            List<Waiter> toWake;
            synchronized (s) {
                if (newTail > s.visibleTail) {
                    s.visibleTail = newTail;
                }
                if (close) {
                    s.closeVisible = true;
                }
                if (snapshotAt >= 0) {
                    s.latestSnapshot = Math.max(s.latestSnapshot, snapshotAt);
                    s.retainedStart = Math.max(s.retainedStart, snapshotAt);
                }
                toWake = s.drainWaiters();
            }
            out.complete(ok);
            for (Waiter w : toWake) {
                w.wake();
            }
            changed.accept(s.name);
            if (snapshotAt >= 0) {
                snapshotted.accept(s);
            }
        });
        return out;
    }

    private static Response duplicate(StreamState s, ProducerTuple producer, long lastSeq, Tail tail) {
        Response r = Incarnations.tag(new Response(204), s)
                .header(ProtocolHeaders.PRODUCER_EPOCH, Long.toString(producer.epoch()))
                .header(ProtocolHeaders.PRODUCER_SEQ, Long.toString(lastSeq))
                .header(ProtocolHeaders.STREAM_NEXT_OFFSET, tail.nextOffset());
        if (tail.closed()) {
            r.header(ProtocolHeaders.STREAM_CLOSED, "true");
        }
        return r;
    }

    /** The verdict of {@link WriterRules} on a write under the stream lock. */
    private static WriterRules.Verdict decide(StreamState s, boolean hasData, boolean typeMatches, ProducerTuple producer,
                                              String streamSeq, long expectedTail) {
        ProducerState ps = producer == null ? null : s.producers.get(producer.id());
        return WriterRules.decide(s.closed, s.closedBy, s.lastStreamSeq, ps == null ? -1 : ps.epoch, ps == null ? -1 : ps.lastSeq,
                hasData, typeMatches, producer, streamSeq, s.writtenTail, expectedTail);
    }

    /**
     * The answer to a write {@link WriterRules} refused: a producer's duplicate once what it repeats
     * is durable, every other refusal at once (thrown problems become their responses).
     */
    private CompletableFuture<Response> rejected(StreamState s, ProducerTuple p, String streamSeq, WriterRules.Verdict v, Tail tail) {
        return switch (v.kind()) {
            case DUPLICATE -> shared != null ? done(duplicate(s, p, v.lastSeq(), tail)) : whenDurable(s, duplicate(s, p, v.lastSeq(), tail));
            case CLOSED -> throw closedConflict(s, tail);
            case STREAM_SEQ_CONFLICT -> throw Problem.conflict("sequence-conflict", "Sequence conflict",
                    "Sequence conflict: Stream-Seq " + HeaderRules.quoted(streamSeq) + " is not greater than the last "
                            + HeaderRules.quoted(tail.lastStreamSeq()));
            case STALE_EPOCH -> done(new Problem(403, "stale-producer-epoch", "Stale producer epoch",
                    "producer " + HeaderRules.quoted(p.id()) + " epoch " + p.epoch() + " is older than the current epoch " + v.currentEpoch())
                    .with(ProtocolHeaders.PRODUCER_EPOCH, Long.toString(v.currentEpoch())).response());
            case EPOCH_SEQ_NOT_ZERO -> done(Problem.badRequest("invalid-producer-seq",
                    "producer " + HeaderRules.quoted(p.id()) + " starts epoch " + p.epoch() + " with seq " + p.seq() + "; a new epoch must start at seq 0").response());
            case SEQUENCE_GAP -> done(Problem.conflict("producer-sequence-gap", "Producer sequence gap",
                            "producer " + HeaderRules.quoted(p.id()) + " epoch " + p.epoch() + " expected seq " + v.expectedSeq() + ", received " + p.seq())
                    .with(ProtocolHeaders.PRODUCER_EXPECTED_SEQ, Long.toString(v.expectedSeq()))
                    .with(ProtocolHeaders.PRODUCER_RECEIVED_SEQ, Long.toString(p.seq())).response());
            case TAIL_MOVED -> throw tailMoved(tail);
            case ACCEPT, CLOSE_REPEATED, CONTENT_TYPE_MISMATCH -> throw new IllegalStateException("not a refusal: " + v.kind());
        };
    }

    private static Response closedOk(StreamState s, Tail tail) {
        return Incarnations.tag(new Response(204), s)
                .header(ProtocolHeaders.STREAM_NEXT_OFFSET, tail.nextOffset())
                .header(ProtocolHeaders.STREAM_CLOSED, "true");
    }

    /** 412: a conditional write found another tail; the current one lets its writer catch up and retry. */
    private static Problem tailMoved(Tail tail) {
        Problem p = new Problem(412, "tail-moved", "Precondition failed",
                "the stream's tail is " + tail.nextOffset() + ", not the offset in If-Match; nothing was written")
                .with(ProtocolHeaders.STREAM_NEXT_OFFSET, tail.nextOffset());
        return tail.closed() ? p.with(ProtocolHeaders.STREAM_CLOSED, "true") : p;
    }

    private static Problem closedConflict(StreamState s, Tail tail) {
        return Problem.conflict("stream-closed", "Stream is closed", "stream " + Problem.clip(s.name) + " is closed; appends are rejected")
                .with(ProtocolHeaders.STREAM_CLOSED, "true")
                .with(ProtocolHeaders.STREAM_NEXT_OFFSET, tail.nextOffset());
    }

    /** Parses the producer trio: all or none, non-empty id, safe integers (§5.2.1). */
    private static ProducerTuple producer(Request req) {
        String id = req.header(ProtocolHeaders.PRODUCER_ID);
        String epoch = req.header(ProtocolHeaders.PRODUCER_EPOCH);
        String seq = req.header(ProtocolHeaders.PRODUCER_SEQ);
        if (id == null && epoch == null && seq == null) {
            return null;
        }
        if (id == null || epoch == null || seq == null) {
            throw Problem.badRequest("incomplete-producer-headers",
                    "Producer-Id, Producer-Epoch and Producer-Seq must be sent together");
        }
        if (id.isEmpty()) {
            throw Problem.badRequest("invalid-producer-id", "Producer-Id must not be empty");
        }
        if (id.length() > 1024) {
            throw Problem.badRequest("invalid-producer-id", "Producer-Id longer than 1024 characters");
        }
        long e = HeaderRules.nonNegative(epoch, ProtocolHeaders.PRODUCER_EPOCH, HeaderRules.MAX_SAFE_INTEGER);
        long q = HeaderRules.nonNegative(seq, ProtocolHeaders.PRODUCER_SEQ, HeaderRules.MAX_SAFE_INTEGER);
        return new ProducerTuple(id, e, q);
    }

    /**
     * A duplicate (or a repeated close) is answered only once what it repeats is durable: the
     * original may still be waiting for its sync, and a success for the retry must not outlive a
     * crash that loses it.
     * Called with the stream lock held; the store's sync covers everything written so far.
     */
    private CompletableFuture<Response> whenDurable(StreamState s, Response r) {
        if (s.visibleTail == s.writtenTail && s.closed == s.closeVisible) {
            return done(r);
        }
        return registry.track(s.log.sync()).thenApply(v -> r);
    }

    private static CompletableFuture<Response> done(Response r) {
        return CompletableFuture.completedFuture(r);
    }
}
