package io.durablestreams.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pipeline slot: after the HTTP/1.1 codec, before the aggregator. Answers a request whose head
 * could not be parsed or whose body length is ambiguous, then closes the connection and drops
 * everything the client sent after it: once the framing of one request is in doubt, so is where
 * the next one starts (request smuggling). Per RFC 9112 §6.1 and §6.3:
 * <ul>
 * <li>unparseable head: {@code 400}; request line too long {@code 414}; headers too large {@code 431};
 * <li>{@code Transfer-Encoding} with {@code Content-Length}, in HTTP/1.0, or not ending in
 *     {@code chunked} (or {@code chunked} twice): {@code 400};
 * <li>a transfer coding other than {@code chunked} (e.g. {@code gzip, chunked}): {@code 501},
 *     since the body would otherwise be stored still encoded.
 * </ul>
 * Duplicate or malformed {@code Content-Length} values already fail in the decoder (400 here).
 */
final class RequestFraming extends ChannelInboundHandlerAdapter {
    private final StandardHeaders standard;
    private boolean rejected;

    RequestFraming(StandardHeaders standard) {
        this.standard = standard;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
            ReferenceCountUtil.release(msg);
            return;
        }
        FullHttpResponse problem = msg instanceof HttpRequest req ? problem(req) : null;
        if (problem == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        rejected = true;
        ReferenceCountUtil.release(msg);
        ctx.channel().config().setAutoRead(false);
        Responses.send(ctx, standard, problem, false);
    }

    /** The answer to a badly framed request, or null if its framing is sound. */
    static FullHttpResponse problem(HttpRequest req) {
        DecoderResult result = req.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            if (cause instanceof TooLongHttpLineException) {
                return Responses.problem(414, "uri-too-long", "the request line is too long");
            }
            if (cause instanceof TooLongHttpHeaderException) {
                return Responses.problem(431, "headers-too-large", "the request headers are too large");
            }
            return Responses.problem(400, "malformed-request", "the request could not be parsed");
        }
        List<String> codings = transferCodings(req);
        if (codings.isEmpty()) {
            return null;
        }
        if (FramingHeaders.hadBothFramingHeaders(req.headers())) {
            return Responses.problem(400, "ambiguous-framing", "a request must not carry both Transfer-Encoding and Content-Length");
        }
        if (req.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            return Responses.problem(400, "ambiguous-framing", "Transfer-Encoding is not allowed in an HTTP/1.0 request");
        }
        if (!codings.get(codings.size() - 1).equals("chunked") || codings.indexOf("chunked") != codings.size() - 1) {
            return Responses.problem(400, "ambiguous-framing", "chunked must be the final transfer coding, applied once");
        }
        if (codings.size() > 1) {
            return Responses.problem(501, "unsupported-transfer-coding",
                    "only the chunked transfer coding is supported, not " + codings.get(0));
        }
        return null;
    }

    /** The codings of every Transfer-Encoding line in order, lower case, empty list elements skipped. */
    private static List<String> transferCodings(HttpRequest req) {
        List<String> codings = new ArrayList<>(1);
        for (String line : req.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING)) {
            for (String element : line.split(",")) {
                String coding = element.trim().toLowerCase(Locale.ROOT);
                if (!coding.isEmpty()) {
                    codings.add(coding);
                }
            }
        }
        if (codings.isEmpty() && req.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            codings.add("");
        }
        return codings;
    }
}
