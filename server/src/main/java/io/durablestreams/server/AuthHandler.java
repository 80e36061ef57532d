package io.durablestreams.server;

import io.durablestreams.engine.http.ReadScope;
import io.durablestreams.server.auth.AuthConfig;
import io.durablestreams.server.auth.Authenticator;
import io.durablestreams.server.auth.StreamAccess;
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
 * need a bearer token (static or JWT) whose grant covers the stream ({@link StreamAccess}, the rule
 * every binding applies); the listings under {@code __ds} go on as a {@link ScopedRequest} carrying
 * what the credential may read. {@code /metrics} needs the metrics token, or without one any accepted
 * credential ({@link Authenticator#authorizeMetrics}). CORS preflights and health endpoints pass.
 */
@ChannelHandler.Sharable
final class AuthHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String METRICS = "/metrics";
    private final Authenticator authenticator;
    private final boolean protectsStreams;
    private final String streamRoot;
    private final StreamAccess access;
    private final StandardHeaders standard;

    /** A Netty request as the access rule sees it. */
    private record Target(FullHttpRequest msg) implements StreamAccess.Target {
        @Override
        public String method() {
            return msg.method().name();
        }

        @Override
        public String header(String lowerCaseName) {
            return msg.headers().get(lowerCaseName);
        }
    }

    AuthHandler(AuthConfig config, String streamRoot, StandardHeaders standard) {
        super(false);
        this.authenticator = new Authenticator(config, System::currentTimeMillis);
        this.protectsStreams = config.protectsStreams();
        this.streamRoot = streamRoot;
        this.access = new StreamAccess(streamRoot);
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
                deny(ctx, msg, StreamAccess.Denial.of(e));
            }
            return;
        }
        if (!path.startsWith(streamRoot) || !protectsStreams) {
            ctx.fireChannelRead(msg);
            return;
        }
        StreamAccess.Access decided = access.check(new Target(msg), path.substring(streamRoot.length()),
                t -> authenticator.authenticate(t.header("authorization")));
        if (!decided.allowed()) {
            deny(ctx, msg, decided.denial());
        } else if (decided.scope() == ReadScope.ALL) {
            ctx.fireChannelRead(msg);
        } else {
            ctx.fireChannelRead(new ScopedRequest(msg, decided.scope()));
        }
    }

    private void deny(ChannelHandlerContext ctx, FullHttpRequest msg, StreamAccess.Denial denial) {
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        msg.release();
        FullHttpResponse r = Responses.problem(denial.status(), denial.type(), denial.detail());
        r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, denial.challenge());
        Responses.send(ctx, standard, r, keepAlive);
    }
}
