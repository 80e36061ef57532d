package io.durablestreams.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A base URL names the directory of streams, with or without its trailing slash. */
class BaseUrlTest {

    @Test
    void aBaseUrlWithoutTrailingSlashKeepsItsLastSegment() {
        DurableStreamsClient without = DurableStreamsClient.newBuilder().baseUrl("http://127.0.0.1:4437/v1/stream").build();
        DurableStreamsClient with = DurableStreamsClient.newBuilder().baseUrl("http://127.0.0.1:4437/v1/stream/").build();
        assertThat(without.stream("chat").url()).hasToString("http://127.0.0.1:4437/v1/stream/chat");
        assertThat(with.stream("chat").url()).hasToString("http://127.0.0.1:4437/v1/stream/chat");
        assertThat(DurableStreamsClient.newBuilder().baseUrl("http://h:1").build().stream("a/b").url())
                .hasToString("http://h:1/a/b");
        assertThat(DurableStreamsClient.newBuilder().baseUrl("https://h/v1/stream?tenant=x%20y").build().stream("c").url())
                .hasToString("https://h/v1/stream/c");
    }

    @Test
    void aRelativeBaseUrlIsRefused() {
        assertThatThrownBy(() -> DurableStreamsClient.newBuilder().baseUrl("/v1/stream"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
    }
}
