package io.durablestreams.engine.http;

/** The body of an SSE response: started by the binding once the response head is sent. */
public interface SseBody {
    void start(SseSink sink);
}
