package io.durablestreams.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Turns error responses into the typed exceptions of {@link DurableStreamException}. */
final class Failures {
    private static final int MAX_SERVER_MESSAGE_CHARS = 300;

    private Failures() {
    }

    static DurableStreamException fromResponse(Request.Kind kind, Response r) {
        return typed(kind, r).withProblemType(problemType(r.body()));
    }

    private static DurableStreamException typed(Request.Kind kind, Response r) {
        URI url = r.url();
        int status = r.status();
        String what = kind.name().toLowerCase(java.util.Locale.ROOT) + " " + url;
        String server = serverMessage(r.body());
        String detail = server.isEmpty() ? "" : ": " + server;
        switch (status) {
            case 400:
                if (kind == Request.Kind.READ) {
                    return new InvalidOffsetException("Invalid offset or read parameters for " + url + detail,
                            status, url, null);
                }
                return new BadRequestException("Bad request (" + what + ")" + detail, status, url, null);
            case 403: {
                OptionalLong epoch = r.longHeader(ProtocolHeaders.PRODUCER_EPOCH);
                if (epoch.isPresent()) {
                    return new StaleEpochException("Producer epoch is stale for " + url + ": server epoch is "
                            + epoch.getAsLong(), status, url, epoch.getAsLong());
                }
                break;
            }
            case 404:
                return new StreamNotFoundException("Stream not found: " + url.getPath() + " (" + url + ")",
                        status, url, null);
            case 409: {
                if (r.flag(ProtocolHeaders.STREAM_CLOSED)) {
                    return new StreamClosedException("Stream is closed: " + url, status, url,
                            r.header(ProtocolHeaders.STREAM_NEXT_OFFSET));
                }
                OptionalLong expected = r.longHeader(ProtocolHeaders.PRODUCER_EXPECTED_SEQ);
                OptionalLong received = r.longHeader(ProtocolHeaders.PRODUCER_RECEIVED_SEQ);
                if (expected.isPresent() && received.isPresent()) {
                    return new SequenceGapException("Producer sequence gap on " + url + ": expected seq "
                            + expected.getAsLong() + ", received " + received.getAsLong(), status, url,
                            expected.getAsLong(), received.getAsLong());
                }
                if (kind == Request.Kind.APPEND && r.sentHeaders().containsKey(ProtocolHeaders.STREAM_SEQ)) {
                    return new SequenceConflictException("Sequence conflict on " + url + ": Stream-Seq "
                            + r.sentHeaders().get(ProtocolHeaders.STREAM_SEQ)
                            + " is not greater than the last accepted" + detail, status, url);
                }
                return new StreamConflictException("Conflict (" + what + ")" + detail, status, url, null);
            }
            case 410:
                if ("stream-reset".equals(problemType(r.body()))) {
                    return streamReset(r, what);
                }
                String earliest = r.header(ProtocolHeaders.STREAM_EARLIEST_OFFSET);
                if (earliest != null && "offset-reclaimed".equals(problemType(r.body()))) {
                    return new OffsetGoneException("Gone (" + what + "): offset reclaimed by retention; the earliest retained offset is "
                            + earliest + detail, status, url, null, earliest, r.flag(ProtocolHeaders.STREAM_RESTARTABLE));
                }
                return new OffsetGoneException("Gone (" + what + "): offset no longer retained or stream deleted"
                        + detail, status, url, null);
            case 412:
                if ("tail-moved".equals(problemType(r.body()))) {
                    String current = r.header(ProtocolHeaders.STREAM_NEXT_OFFSET);
                    return new TailMovedException("The tail of " + url + " moved to " + current
                            + "; nothing was written (" + what + ")", status, url, current);
                }
                if ("incarnation-mismatch".equals(problemType(r.body()))) {
                    String pinned = r.sentHeaders().get(ProtocolHeaders.STREAM_INCARNATION);
                    String current = r.header(ProtocolHeaders.STREAM_INCARNATION);
                    return new IncarnationChangedException("Stream " + url + " was recreated: pinned incarnation "
                            + pinned + ", current " + current + "; nothing was written (" + what + ")", status, url,
                            pinned, current, List.of());
                }
                break;
            default:
                break;
        }
        return new UnexpectedStatusException("Unexpected HTTP " + status + " (" + what + ")" + detail, status, url,
                null);
    }

    /** The offset a read ({@code offset} parameter) or fork ({@code Stream-Fork-Offset}) was rejected for. */
    private static StreamResetException streamReset(Response r, String what) {
        String offset = r.sentParams().get("offset");
        if (offset == null) {
            offset = r.sentHeaders().get(ProtocolHeaders.STREAM_FORK_OFFSET);
        }
        String old = ProtocolHeaders.incarnationOf(offset);
        String current = r.header(ProtocolHeaders.STREAM_INCARNATION);
        boolean restartable = r.flag(ProtocolHeaders.STREAM_RESTARTABLE);
        return new StreamResetException("Stream " + r.url() + " was reset (" + what + "): offset " + offset
                + " belongs to incarnation " + old + ", the stream is now incarnation " + current
                + (restartable ? " (restartable)" : ""), r.status(), r.url(), old, current, restartable);
    }

    /** The {@code type} of an {@code application/problem+json} body, or {@code null}. */
    private static String problemType(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            Object parsed = SimpleJsonCodec.INSTANCE.parse(new String(body, StandardCharsets.UTF_8));
            return parsed instanceof Map<?, ?> problem && problem.get("type") instanceof String type ? type : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The start of the server's error body, printable characters only, for messages. */
    private static String serverMessage(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, MAX_SERVER_MESSAGE_CHARS * 4), StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        text.codePoints().limit(MAX_SERVER_MESSAGE_CHARS)
                .forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return sb.toString().trim();
    }
}
