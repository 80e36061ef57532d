package io.durablestreams.engine.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonMessagesTest {
    private static JsonMessages.Split split(String json) throws Exception {
        return JsonMessages.split(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String stored(String json) throws Exception {
        return new String(split(json).data(), StandardCharsets.UTF_8);
    }

    @Test
    void aSingleValueIsOneMessage() throws Exception {
        JsonMessages.Split s = split("{\"event\": \"created\"}");
        assertThat(new String(s.data(), StandardCharsets.UTF_8)).isEqualTo("{\"event\":\"created\"},");
        assertThat(s.messageEnds()).containsExactly(s.data().length);
    }

    @Test
    void flattensExactlyOneLevelOfArray() throws Exception {
        assertThat(stored("[{\"a\":1}, {\"b\":2}]")).isEqualTo("{\"a\":1},{\"b\":2},");
        assertThat(stored("[[1,2], [3,4]]")).isEqualTo("[1,2],[3,4],");
        assertThat(stored("[[[1,2,3]]]")).isEqualTo("[[1,2,3]],");
        assertThat(split("[1, 2, 3]").messageEnds()).containsExactly(2, 4, 6);
    }

    @Test
    void anEmptyArrayHasNoMessages() throws Exception {
        assertThat(split("[]").count()).isZero();
        assertThat(split(" [ ] ").count()).isZero();
    }

    @Test
    void numbersAreWrittenTheWayJavaScriptWouldPrintThem() throws Exception {
        assertThat(stored("[1.50, 1e3, 1.0, -0.0, 1e21, 1.5e-7, 0.000001, 12345678901234567890]"))
                .isEqualTo("1.5,1000,1,0,1e+21,1.5e-7,0.000001,12345678901234567890,");
    }

    @Test
    void stringsKeepEscapesAndUnicode() throws Exception {
        assertThat(stored("\"line1\\nline2 \\u2028 日本語 🎉\"")).isEqualTo("\"line1\\nline2 \u2028 日本語 🎉\",");
    }

    @Test
    void rejectsInvalidJson() {
        for (String bad : new String[] {"", "{", "{\"a\":}", "[1,]", "NaN", "{\"a\":1} {\"b\":2}", "'x'", "[1 2]"}) {
            assertThatThrownBy(() -> split(bad)).as(bad).isInstanceOf(JsonMessages.InvalidJsonException.class);
        }
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] body = {'"', (byte) 0xC3, (byte) 0x28, '"'};
        assertThatThrownBy(() -> JsonMessages.split(body)).isInstanceOf(JsonMessages.InvalidJsonException.class);
    }

    @Test
    void rejectsPathologicalNestingInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> split(deep)).isInstanceOf(JsonMessages.InvalidJsonException.class);
    }
}
