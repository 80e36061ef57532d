package io.durablestreams.server;

import io.durablestreams.engine.http.ReadScope;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A request {@link AuthHandler} admitted together with the streams its credential may read: for
 * the requests that reach many streams at once (the listings under {@code __ds}), which the
 * engine filters by that scope. Shares the original's content and headers; releasing either
 * releases the content.
 */
final class ScopedRequest extends DefaultFullHttpRequest {
    private final ReadScope scope;

    ScopedRequest(FullHttpRequest original, ReadScope scope) {
        super(original.protocolVersion(), original.method(), original.uri(), original.content(), original.headers(),
                original.trailingHeaders());
        setDecoderResult(original.decoderResult());
        this.scope = scope;
    }

    ReadScope scope() {
        return scope;
    }
}
