package io.durablestreams.server;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * Request headers that remember that the request arrived with both {@code Transfer-Encoding:
 * chunked} and {@code Content-Length}. Netty's HTTP/1.1 decoder resolves that conflict by removing
 * {@code Content-Length} (its {@code handleTransferEncodingChunkedWithContentLength} hook), after
 * which the request looks well framed; {@link RequestFraming} asks these headers so it can still
 * refuse the request and close the connection (RFC 9112 §6.1). The hook itself cannot be
 * overridden: {@code HttpServerCodec} is final, and the h2c upgrade handler requires it.
 */
final class FramingHeaders extends DefaultHttpHeaders {
    /** For {@code HttpDecoderConfig.setHeadersFactory}: Netty's default validation, plus the memory. */
    static final HttpHeadersFactory FACTORY = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return new FramingHeaders();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return new FramingHeaders();
        }
    };

    private boolean hadContentLengthAndTransferEncoding;

    private FramingHeaders() {
        super(DefaultHttpHeadersFactory.headersFactory().getNameValidator(),
                DefaultHttpHeadersFactory.headersFactory().getValueValidator());
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                && contains(HttpHeaderNames.CONTENT_LENGTH) && contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            hadContentLengthAndTransferEncoding = true;
        }
        return super.remove(name);
    }

    /** Whether {@code headers} arrived with both framing headers, even if one was removed since. */
    static boolean hadBothFramingHeaders(HttpHeaders headers) {
        return headers.contains(HttpHeaderNames.TRANSFER_ENCODING) && headers.contains(HttpHeaderNames.CONTENT_LENGTH)
                || headers instanceof FramingHeaders f && f.hadContentLengthAndTransferEncoding;
    }
}
