package io.durablestreams.server.auth;

import io.durablestreams.engine.Names;
import io.durablestreams.engine.StreamListing;
import io.durablestreams.engine.http.ReadScope;
import io.durablestreams.protocol.ProtocolHeaders;

/**
 * The authorization rule of stream requests, shared by every binding: GET/HEAD need read, PUT/POST/
 * DELETE need write, and a fork also needs read on its source. The listings under {@code __ds}
 * (streams, subscriptions) take any accepted credential and show what its read grant covers: the
 * binding hands the engine that {@link ReadScope}. Subscription callbacks and the JWKS carry their
 * own credentials. Denials are 401 or 403 with {@code WWW-Authenticate} (RFC 6750).
 */
public final class StreamAccess {
    public static final String REALM = "Bearer realm=\"durable-streams\"";

    /** Why a request is refused; the binding answers it as a problem with the challenge header. */
    public record Denial(int status, String type, String detail, String challenge) {
        public static Denial of(Authenticator.Rejected e) {
            return new Denial(401, "unauthorized", e.getMessage(), e.invalidToken() ? REALM + ", error=\"invalid_token\"" : REALM);
        }
    }

    /** The rule's answer: a denial, or the streams the request may read (what the engine's listings show). */
    public record Access(Denial denial, ReadScope scope) {
        static final Access ALL = new Access(null, ReadScope.ALL);

        public boolean allowed() {
            return denial == null;
        }
    }

    /** The request facts the rule looks at. */
    public interface Target {
        String method();

        /** A request header by lower-case name, or null. */
        String header(String lowerCaseName);
    }

    private final String streamRoot;

    /** @param streamRoot the path streams live under, with trailing slash ({@code Stream-Forked-From} names sources by it) */
    public StreamAccess(String streamRoot) {
        this.streamRoot = streamRoot;
    }

    /** Whether the request for {@code rawStream} (the path below the stream root, not decoded yet) may go on, and what it may read. */
    public <R extends Target> Access check(R request, String rawStream, GrantResolver<? super R> grants) {
        if (request.method().equals("OPTIONS")) {
            return Access.ALL;
        }
        String stream = decode(rawStream);
        if (carriesOwnCredentials(stream)) {
            return Access.ALL;
        }
        Grant grant;
        try {
            grant = grants.resolve(request);
        } catch (Authenticator.Rejected e) {
            return new Access(Denial.of(e), ReadScope.NONE);
        }
        boolean write = !(request.method().equals("GET") || request.method().equals("HEAD"));
        if (!write && isListing(stream)) {
            return new Access(null, grant::mayRead);
        }
        String missing = missingRight(grant, write, stream, request.header(ProtocolHeaders.STREAM_FORKED_FROM));
        return missing == null ? Access.ALL
                : new Access(new Denial(403, "forbidden", missing, REALM + ", error=\"insufficient_scope\""), ReadScope.NONE);
    }

    /** The listings of streams and of subscriptions, which reach many streams at once. */
    private static boolean isListing(String stream) {
        return StreamListing.addresses(stream) || stream.equals("__ds/subscriptions");
    }

    /**
     * Null when the grant allows the request, else what it lacks, naming the right and the stream:
     * the stream itself needs read (GET, HEAD) or write (anything else), a fork's source needs read.
     */
    private String missingRight(Grant grant, boolean write, String stream, String forkSource) {
        if (write ? !grant.mayWrite(stream) : !grant.mayRead(stream)) {
            return "the presented credential does not grant " + (write ? "write" : "read") + " access to stream '" + stream + "'";
        }
        if (forkSource != null) {
            String source = sourceName(forkSource);
            if (!grant.mayRead(source)) {
                return "the presented credential does not grant read access to stream '" + source + "', the source of the fork";
            }
        }
        return null;
    }

    /**
     * Subscription callbacks, acks and releases authenticate with the wake's own token, which the
     * engine verifies; the JWKS is public by design (PROTOCOL.md §6.5, §7).
     */
    private static boolean carriesOwnCredentials(String stream) {
        if (stream.equals("__ds/jwks.json")) {
            return true;
        }
        if (!stream.startsWith("__ds/subscriptions/")) {
            return false;
        }
        return stream.endsWith("/callback") || stream.endsWith("/ack") || stream.endsWith("/release");
    }

    private String sourceName(String header) {
        String v = header.trim();
        return decode(v.startsWith(streamRoot) ? v.substring(streamRoot.length()) : v);
    }

    /** Decodes exactly as the engine does; a malformed name is left for the engine to reject. */
    private static String decode(String raw) {
        try {
            return Names.decodePath(raw);
        } catch (RuntimeException e) {
            return raw;
        }
    }
}
