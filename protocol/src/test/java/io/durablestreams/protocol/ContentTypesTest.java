package io.durablestreams.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentTypesTest {
    @Test
    void comparesByEssenceIgnoringCaseAndParameters() {
        assertThat(ContentTypes.sameType("Application/JSON; charset=utf-8", "application/json")).isTrue();
        assertThat(ContentTypes.sameType("text/plain", "text/html")).isFalse();
        assertThat(ContentTypes.isJson("application/json;charset=UTF-8")).isTrue();
        assertThat(ContentTypes.isJson("application/ndjson")).isFalse();
    }

    @Test
    void sseCarriesTextAndJsonNativelyAndEverythingElseAsBase64() {
        assertThat(ContentTypes.isSseText("text/plain")).isTrue();
        assertThat(ContentTypes.isSseText("application/json")).isTrue();
        assertThat(ContentTypes.isSseText("application/octet-stream")).isFalse();
        assertThat(ContentTypes.isSseText("application/x-protobuf")).isFalse();
    }

    @Test
    void validatesMediaTypeSyntax() {
        assertThat(ContentTypes.isValid("application/vnd.api+json")).isTrue();
        assertThat(ContentTypes.isValid("text/plain; charset=utf-8")).isTrue();
        assertThat(ContentTypes.isValid("plain")).isFalse();
        assertThat(ContentTypes.isValid("/json")).isFalse();
        assertThat(ContentTypes.isValid("a/b/c")).isFalse();
        assertThat(ContentTypes.isValid("text /plain")).isFalse();
    }
}
