package io.durablestreams.client;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;

/** A successful response whose body is still being received (SSE). Closing the body releases it. */
record StreamingResponse(int status, HttpHeaders headers, InputStream body, URI url) {
    String header(String name) {
        return headers.firstValue(name).orElse(null);
    }
}
