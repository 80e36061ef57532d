package io.durablestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientOptionsTest {
    @Test
    void namesResolveUnderTheStreamRoot() {
        assertThat(ClientOptions.streamUrl("http://h:1", "demo")).isEqualTo("http://h:1/v1/stream/demo");
        assertThat(ClientOptions.streamUrl("http://h:1/", "/a/b")).isEqualTo("http://h:1/v1/stream/a/b");
        assertThat(ClientOptions.streamUrl("http://h:1/v1/stream/", "demo")).isEqualTo("http://h:1/v1/stream/demo");
    }

    @Test
    void namesArePercentEncodedExceptSlashes() {
        assertThat(ClientOptions.streamUrl("http://h", "a b/ü?#"))
                .isEqualTo("http://h/v1/stream/a%20b/%C3%BC%3F%23");
    }

    @Test
    void fullUrlsAreUsedUnchanged() {
        assertThat(ClientOptions.streamUrl("http://ignored", "https://x/v1/stream/s")).isEqualTo("https://x/v1/stream/s");
    }

    @Test
    void aBaseWithoutSchemeIsAUsageError() {
        assertThatThrownBy(() -> ClientOptions.streamUrl("localhost:4437", "s"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
    }
}
