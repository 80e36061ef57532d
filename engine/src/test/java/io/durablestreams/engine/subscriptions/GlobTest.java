package io.durablestreams.engine.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {
    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "events/*, events/a, true",
            "events/*, events/a/b, false",
            "events/*, events, false",
            "events/*, other/a, false",
            "events/**, events, true",
            "events/**, events/a/b/c, true",
            "**, anything/at/all, true",
            "**/x, a/b/x, true",
            "**/x, x, true",
            "a/*/c, a/b/c, true",
            "a/*/c, a/b/d/c, false",
            "a/**/c, a/c, true",
            "a/**/c, a/b/d/c, true",
            "exact, exact, true",
            "exact, exactly, false",
    })
    void matchesSegmentWise(String pattern, String path, boolean expected) {
        assertThat(new Glob(pattern).matches(path)).isEqualTo(expected);
    }
}
