package io.durablestreams.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link NettySseSink} on an {@link EmbeddedChannel} with an 8/16-byte write buffer. */
class NettySseSinkTest {
    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicInteger closeTasks = new AtomicInteger();

    @AfterEach
    void finish() {
        ch.finishAndReleaseAll();
    }

    /** A sink on the context of a handler standing where the stream handler stands, before {@link SseWritability}. */
    private NettySseSink sink(boolean keepAlive) {
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ch.pipeline().addLast("streams", new ChannelInboundHandlerAdapter());
        ch.pipeline().addLast("sse-writability", new SseWritability());
        ChannelHandlerContext ctx = ch.pipeline().context("streams");
        NettySseSink sink = new NettySseSink(ctx, keepAlive, ended::incrementAndGet);
        sink.onClose(closeTasks::incrementAndGet);
        return sink;
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The chunks written so far, as text; a last chunk shows as "<end>". */
    private List<String> frames() {
        List<String> frames = new ArrayList<>();
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            frames.add(o instanceof LastHttpContent ? "<end>" : ((ByteBufHolder) o).content().toString(StandardCharsets.UTF_8));
            ReferenceCountUtil.release(o);
        }
        return frames;
    }

    @Test
    void writesBecomeChunksInOrderAndCloseEndsTheResponse() {
        NettySseSink sink = sink(true);
        sink.write(text("event: data\ndata:a\n\n"));
        sink.write(text("event: control\ndata:{}\n\n"));
        assertThat(frames()).isEmpty(); // nothing leaves before flush
        sink.flush();
        assertThat(frames()).containsExactly("event: data\ndata:a\n\n", "event: control\ndata:{}\n\n");
        sink.close();
        sink.close();
        assertThat(frames()).containsExactly("<end>");
        assertThat(sink.isOpen()).isFalse();
        assertThat(ended).hasValue(1); // keep-alive: the connection reads its next request
        assertThat(closeTasks).hasValue(1);
        assertThat(ch.isOpen()).isTrue();
        sink.write(text("late"));
        sink.flush();
        assertThat(frames()).isEmpty();
    }

    @Test
    void withoutKeepAliveCloseAlsoClosesTheConnection() {
        NettySseSink sink = sink(false);
        sink.close();
        assertThat(frames()).containsExactly("<end>");
        assertThat(ch.isOpen()).isFalse();
        assertThat(ended).hasValue(0);
        assertThat(closeTasks).hasValue(1);
    }

    @Test
    void aFullBufferMakesTheSinkUnwritableUntilItDrains() {
        NettySseSink sink = sink(true);
        AtomicInteger resumed = new AtomicInteger();
        sink.write(text("0123456789abcdefXYZ")); // 19 bytes queued, over the 16-byte high mark
        assertThat(sink.isWritable()).isFalse();
        sink.onWritable(resumed::incrementAndGet);
        assertThat(resumed).hasValue(0);
        sink.flush();
        ch.runPendingTasks();
        assertThat(sink.isWritable()).isTrue();
        assertThat(resumed).hasValue(1);
        assertThat(frames()).hasSize(1).allSatisfy(f -> assertThat(f).hasSize(19));
    }

    @Test
    void aPeerCloseRunsTheCloseTasksOnceAndWritesNothing() {
        NettySseSink sink = sink(true);
        ch.close();
        ch.runPendingTasks();
        assertThat(sink.isOpen()).isFalse();
        assertThat(closeTasks).hasValue(1);
        sink.close();
        assertThat(closeTasks).hasValue(1);
        assertThat(frames()).isEmpty();
        assertThat(ended).hasValue(0);
    }

    @Test
    void chunksAreHttpContentNotLastContent() {
        NettySseSink sink = sink(true);
        sink.write(text("x"));
        sink.flush();
        Object o = ch.readOutbound();
        assertThat(o).isInstanceOf(HttpContent.class).isNotInstanceOf(LastHttpContent.class);
        ReferenceCountUtil.release(o);
    }
}
