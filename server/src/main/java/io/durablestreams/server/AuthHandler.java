package io.durablestreams.server;

import io.durablestreams.engine.Names;
import io.durablestreams.engine.StreamListing;
import io.durablestreams.protocol.ProtocolHeaders;
import io.durablestreams.server.auth.AuthConfig;
import io.durablestreams.server.auth.Authenticator;
import io.durablestreams.server.auth.Grant;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Pipeline slot: after rate limiting, before the stream handler. Requests under the stream root
 * need a bearer token (static or JWT) whose grant covers the stream: GET/HEAD need read, PUT/POST/
 * DELETE need write, and a fork also needs read on its source; the listings under {@code __ds} take any
 * accepted credential and show what its read grant covers ({@link ScopedRequest}). {@code /metrics} needs the metrics
 * token, or without one any accepted credential ({@link Authenticator#authorizeMetrics}). Answers 401
 * or 403 with {@code WWW-Authenticate} (RFC 6750). CORS preflights and health endpoints pass.
 */
@ChannelHandler.Sharable
final class AuthHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String REALM = "Bearer realm=\"durable-streams\"";
    private static final String METRICS = "/metrics";
    private final Authenticator authenticator;
    private final boolean protectsStreams;
    private final String streamRoot;
    private final StandardHeaders standard;

    AuthHandler(AuthConfig config, String streamRoot, StandardHeaders standard) {
        super(false);
        this.authenticator = new Authenticator(config, System::currentTimeMillis);
        this.protectsStreams = config.protectsStreams();
        this.streamRoot = streamRoot;
        this.standard = standard;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        String path = new QueryStringDecoder(msg.uri()).rawPath();
        if (msg.method().equals(HttpMethod.OPTIONS)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (path.equals(METRICS)) {
            try {
                authenticator.authorizeMetrics(msg.headers().get(HttpHeaderNames.AUTHORIZATION));
                ctx.fireChannelRead(msg);
            } catch (Authenticator.Rejected e) {
                unauthorized(ctx, msg, e);
            }
            return;
        }
        if (!path.startsWith(streamRoot) || !protectsStreams) {
            ctx.fireChannelRead(msg);
            return;
        }
        String stream = decode(path.substring(streamRoot.length()));
        if (carriesOwnCredentials(stream)) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean write = !(msg.method().equals(HttpMethod.GET) || msg.method().equals(HttpMethod.HEAD));
        try {
            Grant grant = authenticator.authenticate(msg.headers().get(HttpHeaderNames.AUTHORIZATION));
            if (!write && isListing(stream)) {
                ctx.fireChannelRead(new ScopedRequest(msg, grant::mayRead));
                return;
            }
            String missing = missingRight(grant, write, stream, msg.headers().get(ProtocolHeaders.STREAM_FORKED_FROM));
            if (missing == null) {
                ctx.fireChannelRead(msg);
                return;
            }
            deny(ctx, msg, 403, "forbidden", missing, REALM + ", error=\"insufficient_scope\"");
        } catch (Authenticator.Rejected e) {
            unauthorized(ctx, msg, e);
        }
    }

    /**
     * Null when the grant allows the request, else what it lacks, naming the right and the stream:
     * the stream itself needs read (GET, HEAD) or write (anything else), a fork's source needs read.
     */
    private String missingRight(Grant grant, boolean write, String stream, String forkSource) {
        if (write ? !grant.mayWrite(stream) : !grant.mayRead(stream)) {
            return "the token does not grant " + (write ? "write" : "read") + " access to stream '" + stream + "'";
        }
        if (forkSource != null) {
            String source = sourceName(forkSource);
            if (!grant.mayRead(source)) {
                return "the token does not grant read access to stream '" + source + "', the source of the fork";
            }
        }
        return null;
    }

    private void unauthorized(ChannelHandlerContext ctx, FullHttpRequest msg, Authenticator.Rejected e) {
        deny(ctx, msg, 401, "unauthorized", e.getMessage(), e.invalidToken() ? REALM + ", error=\"invalid_token\"" : REALM);
    }

    /**
     * The listings of streams and of subscriptions: any accepted credential may ask, and sees only
     * what its read prefixes cover (the engine filters by the {@link ScopedRequest}'s scope).
     */
    private static boolean isListing(String stream) {
        return StreamListing.addresses(stream) || stream.equals("__ds/subscriptions");
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

    private void deny(ChannelHandlerContext ctx, FullHttpRequest msg, int status, String type, String detail, String challenge) {
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        msg.release();
        FullHttpResponse r = Responses.problem(status, type, detail);
        r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
        Responses.send(ctx, standard, r, keepAlive);
    }
}
