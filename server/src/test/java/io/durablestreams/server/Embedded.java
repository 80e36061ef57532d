package io.durablestreams.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An {@link EmbeddedChannel} behind the server's own HTTP/1.1 codec: raw bytes in, raw bytes out. */
final class Embedded {
    static final StandardHeaders STANDARD = new StandardHeaders("*");

    private Embedded() {}

    static EmbeddedChannel http1(ChannelHandler... handlers) {
        EmbeddedChannel ch = new EmbeddedChannel(DurableStreamsServer.http1Codec());
        ch.pipeline().addLast(handlers);
        return ch;
    }

    static void send(EmbeddedChannel ch, String bytes) {
        ch.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    /** Everything the handlers wrote, as text; the buffers are released. */
    static String written(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            if (o instanceof ByteBuf b) {
                out.append(b.toString(StandardCharsets.ISO_8859_1));
            }
            ReferenceCountUtil.release(o);
        }
        return out.toString();
    }

    /** The messages that reached the end of the pipeline; the caller releases them. */
    static List<Object> received(EmbeddedChannel ch) {
        List<Object> in = new ArrayList<>();
        for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
            in.add(o);
        }
        return in;
    }

    static void release(List<Object> messages) {
        messages.forEach(ReferenceCountUtil::release);
    }
}
