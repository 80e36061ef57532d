package io.durablestreams.client;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parser against the event-stream interpretation rules. The property test replays with the seed
 * jqwik prints on failure ({@code @Property(seed = "...")}).
 */
class SseParserTest {
    record Event(String type, String data) {
    }

    private static List<Event> parse(String... pieces) {
        List<Event> events = new ArrayList<>();
        SseParser parser = new SseParser((type, data, id) -> events.add(new Event(type, data)));
        for (String p : pieces) {
            parser.feed(p.getBytes(StandardCharsets.UTF_8));
        }
        return events;
    }

    @Test
    void joinsDataLinesWithNewlineAndStripsExactlyOneSpace() {
        assertThat(parse("event: data\ndata:  two\ndata:x\n\n"))
                .containsExactly(new Event("data", " two\nx"));
    }

    @Test
    void acceptsCrLfAndCrLineEndingsEvenWhenCrLfIsSplitAcrossFeeds() {
        assertThat(parse("data:a\r", "\ndata:b\r\r\ndata:c\r\n\r\n"))
                .containsExactly(new Event("message", "a\nb"), new Event("message", "c"));
    }

    @Test
    void keepsUnicodeLineSeparatorsAsData() {
        assertThat(parse("data:a\u0085b\u2028c\u2029d\n\n")).containsExactly(new Event("message", "a\u0085b\u2028c\u2029d"));
    }

    @Test
    void decodesMultiByteCharactersSplitAcrossFeeds() {
        byte[] bytes = "data:日本🎉\n\n".getBytes(StandardCharsets.UTF_8);
        List<Event> events = new ArrayList<>();
        SseParser parser = new SseParser((type, data, id) -> events.add(new Event(type, data)));
        for (byte b : bytes) {
            parser.feed(new byte[] {b});
        }
        assertThat(events).containsExactly(new Event("message", "日本🎉"));
    }

    @Test
    void ignoresCommentsUnknownFieldsAndEventsWithoutData() {
        assertThat(parse(": heartbeat\nevent: control\n\nfoo: bar\ndata:x\n\n"))
                .containsExactly(new Event("message", "x"));
    }

    @Test
    void dispatchesAnEmptyDataLineAsEmptyData() {
        assertThat(parse("event: control\ndata: \n\n")).containsExactly(new Event("control", ""));
    }

    @Test
    void discardsAnIncompleteEventAtEndOfInput() {
        assertThat(parse("data:complete\n\ndata:partial\n")).containsExactly(new Event("message", "complete"));
    }

    @Test
    void skipsALeadingByteOrderMarkOnly() {
        assertThat(parse("\uFEFFdata:x\n\n\uFEFFdata:y\n\n"))
                .containsExactly(new Event("message", "x"));
    }

    @Test
    void reportsValidRetryValuesAndTracksLastEventId() {
        List<Long> retries = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        SseParser parser = new SseParser(new SseParser.Listener() {
            @Override
            public void onEvent(String type, String data, String lastEventId) {
                ids.add(lastEventId);
            }

            @Override
            public void onRetry(long retryMs) {
                retries.add(retryMs);
            }
        });
        parser.feed("retry: 250\nretry: 1x\nid: 7\ndata:a\n\ndata:b\n\n".getBytes(StandardCharsets.UTF_8));
        assertThat(retries).containsExactly(250L);
        assertThat(ids).containsExactly("7", "7");
    }

    @Property
    void anySerializationInAnySplitParsesBack(@ForAll("events") List<Event> events,
                                              @ForAll("lineEndings") List<String> endings,
                                              @ForAll("cuts") List<Integer> cuts) {
        StringBuilder wire = new StringBuilder();
        int e = 0;
        for (Event ev : events) {
            wire.append("event: ").append(ev.type());
            wire.append(ending(wire, endings.get(e++ % endings.size())));
            for (String line : ev.data().split("\n", -1)) {
                wire.append("data: ").append(line);
                wire.append(ending(wire, endings.get(e++ % endings.size())));
            }
            wire.append(ending(wire, endings.get(e++ % endings.size())));
        }
        byte[] bytes = wire.toString().getBytes(StandardCharsets.UTF_8);
        List<Event> parsed = new ArrayList<>();
        SseParser parser = new SseParser((type, data, id) -> parsed.add(new Event(type, data)));
        int pos = 0;
        for (int cut : cuts) {
            int end = Math.min(bytes.length, pos + cut);
            parser.feed(bytes, pos, end - pos);
            pos = end;
        }
        parser.feed(bytes, pos, bytes.length - pos);
        assertThat(parsed).isEqualTo(events);
    }

    /** A lone CR followed by an LF would be one CRLF line ending, not two: a blank line needs another CR. */
    private static String ending(StringBuilder wire, String wanted) {
        boolean afterCr = wire.length() > 0 && wire.charAt(wire.length() - 1) == '\r';
        return afterCr && wanted.startsWith("\n") ? "\r" : wanted;
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<String> type = Arbitraries.of("data", "control", "x-future");
        Arbitrary<String> line = Arbitraries.strings().withChars("ab {}\"\u0085\u2028\u2029é日:").ofMaxLength(12)
                .filter(s -> !s.startsWith(" "));
        Arbitrary<String> data = line.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("\n", l));
        return Combinators.combine(type, data).as(Event::new).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<String>> lineEndings() {
        return Arbitraries.of("\n", "\r", "\r\n").list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 7).list().ofMaxSize(40);
    }
}
