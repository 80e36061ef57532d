package io.durablestreams.bench.http;

import io.netty.buffer.ByteBuf;

/** Receives a streaming response (SSE) piece by piece on the connection's event loop. */
public interface ChunkListener {
    void onHeaders(int status);

    /** The buffer is released after the call returns. */
    void onChunk(ByteBuf content);

    void onEnd(Throwable error);
}
