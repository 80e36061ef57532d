package io.durablestreams.engine;

import static io.durablestreams.engine.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablestreams.engine.http.ReadScope;
import io.durablestreams.engine.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET __ds/streams}: paging, prefixes, read scopes, deleted streams, what an entry shows, bad input. */
class StreamListingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EngineHarness h = new EngineHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private void create(String name, String contentType) {
        assertThat(h.call("PUT", name).header("content-type", contentType).send().status()).isEqualTo(201);
    }

    private void create(String name) {
        create(name, "text/plain");
    }

    private JsonNode list(EngineHarness.Call call) throws Exception {
        Response r = call.send();
        assertThat(r.status()).as(text(r)).isEqualTo(200);
        assertThat(r.headers().get("content-type")).isEqualTo("application/json");
        assertThat(r.headers().get("cache-control")).isEqualTo("no-store");
        return JSON.readTree(text(r));
    }

    private EngineHarness.Call listing() {
        return h.call("GET", StreamListing.PATH);
    }

    private static List<String> names(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("streams").forEach(s -> out.add(s.get("name").asText()));
        return out;
    }

    /** Every name through every page of {@code limit}, checking that each page but the last is full. */
    private List<String> all(String prefix, int limit, ReadScope scope) throws Exception {
        List<String> out = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 100; pages++) {
            EngineHarness.Call call = listing().param("limit", Integer.toString(limit)).readScope(scope);
            if (prefix != null) {
                call.param("prefix", prefix);
            }
            if (after != null) {
                call.param("after", after);
            }
            JsonNode page = list(call);
            out.addAll(names(page));
            if (page.get("next").isNull()) {
                return out;
            }
            assertThat(page.get("streams").size()).isEqualTo(limit);
            after = page.get("next").asText();
        }
        throw new AssertionError("the listing never ended");
    }

    @Test
    void anEmptyServerListsNothing() throws Exception {
        JsonNode page = list(listing());
        assertThat(page.get("streams").size()).isZero();
        assertThat(page.get("next").isNull()).isTrue();
    }

    @Test
    void pagesCoverEveryStreamOnceInNameOrder() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String name = String.format("s/%02d", 24 - i);
            create(name);
            expected.add(0, name);
        }
        assertThat(all(null, 10, ReadScope.ALL)).containsExactlyElementsOf(expected);
        assertThat(all(null, 25, ReadScope.ALL)).containsExactlyElementsOf(expected);
        assertThat(all(null, 1000, ReadScope.ALL)).containsExactlyElementsOf(expected);
        JsonNode exact = list(listing().param("limit", "25"));
        assertThat(exact.get("next").isNull()).as("no empty page after an exactly full one").isTrue();
        assertThat(list(listing()).get("streams").size()).as("default limit").isEqualTo(25);
    }

    @Test
    void streamsCreatedOrDeletedBetweenPagesNeitherRepeatNorHideOthers() throws Exception {
        for (String n : List.of("a", "c", "e", "g")) {
            create(n);
        }
        JsonNode first = list(listing().param("limit", "2"));
        assertThat(names(first)).containsExactly("a", "c");
        create("b"); // before the cursor: not on a later page
        create("f"); // after it: on the next page
        assertThat(h.call("DELETE", "e").send().status()).isEqualTo(204);
        JsonNode second = list(listing().param("limit", "2").param("after", first.get("next").asText()));
        assertThat(names(second)).containsExactly("f", "g");
        assertThat(second.get("next").isNull()).isTrue();
    }

    @Test
    void orderIsCodePointOrderAndPrefixesAreLiteral() throws Exception {
        List<String> odd = List.of("x/a b", "x/a%20b", "x/a*b", "x/é", "x/\uD83D\uDE00", "x/\uFFFD", "x/[?]", "xy", "y");
        for (String n : odd) {
            create(n.replace("%", "%25")); // the path is percent-decoded into the name
        }
        assertThat(all("", 2, ReadScope.ALL)).as("an empty prefix is every stream")
                .containsExactly("x/[?]", "x/a b", "x/a%20b", "x/a*b", "x/é", "x/\uFFFD", "x/\uD83D\uDE00", "xy", "y");
        assertThat(all("x/", 3, ReadScope.ALL)).hasSize(7).doesNotContain("xy");
        assertThat(all("x/a%", 3, ReadScope.ALL)).as("no decoding, no wildcards").containsExactly("x/a%20b");
        assertThat(all("x/a*", 3, ReadScope.ALL)).containsExactly("x/a*b");
        assertThat(all("x/[?", 3, ReadScope.ALL)).containsExactly("x/[?]");
        assertThat(all("x/\uD83D", 3, ReadScope.ALL)).containsExactly("x/\uD83D\uDE00");
        assertThat(all("nothing", 3, ReadScope.ALL)).isEmpty();
    }

    @Test
    void aCursorPastTheEndGivesAnEmptyLastPage() throws Exception {
        create("a");
        String pastEnd = Base64.getUrlEncoder().withoutPadding().encodeToString("zzz".getBytes(StandardCharsets.UTF_8));
        JsonNode page = list(listing().param("after", pastEnd));
        assertThat(page.get("streams").size()).isZero();
        assertThat(page.get("next").isNull()).isTrue();
        String beforeAll = Base64.getUrlEncoder().encodeToString(" ".getBytes(StandardCharsets.UTF_8));
        assertThat(names(list(listing().param("after", beforeAll)))).as("padding accepted too").containsExactly("a");
    }

    @Test
    void aCallerSeesOnlyWhatItMayRead() throws Exception {
        for (String n : List.of("team-a/1", "team-a/2", "team-a/3", "team-b/1", "public/x", "team-ab")) {
            create(n);
        }
        ReadScope teamA = n -> n.startsWith("team-a/") || n.startsWith("public/");
        assertThat(all(null, 2, teamA)).containsExactly("public/x", "team-a/1", "team-a/2", "team-a/3");
        assertThat(all("team-", 1, teamA)).containsExactly("team-a/1", "team-a/2", "team-a/3");
        assertThat(all("team-b", 5, teamA)).isEmpty();
        assertThat(all(null, 5, ReadScope.NONE)).isEmpty();
    }

    @Test
    void deletedStreamsAreNotListedAndSoftDeletedOnesNeither() throws Exception {
        create("src", "application/json");
        assertThat(h.call("POST", "src").header("content-type", "application/json").body("[1,2,3]").send().status())
                .isEqualTo(204);
        assertThat(h.call("PUT", "fork").header("content-type", "application/json")
                .header("stream-forked-from", "/v1/stream/src").send().status()).isEqualTo(201);
        create("gone");
        assertThat(h.call("DELETE", "gone").send().status()).isEqualTo(204);
        assertThat(h.call("DELETE", "src").send().status()).isEqualTo(204);
        assertThat(h.call("HEAD", "src").send().status()).as("soft-deleted: its fork reads it").isEqualTo(410);
        JsonNode page = list(listing());
        assertThat(names(page)).containsExactly("fork");
        JsonNode fork = page.get("streams").get(0);
        assertThat(fork.get("forked_from").get("name").asText()).isEqualTo("src");
        assertThat(fork.get("messages").asLong()).as("inherited messages count").isEqualTo(3);
        assertThat(fork.get("tail_offset").asText()).isEqualTo(fork.get("forked_from").get("offset").asText());
    }

    @Test
    void anEntryShowsTheStreamsState() throws Exception {
        assertThat(h.call("PUT", "j").header("content-type", "application/json").header("stream-ttl", "3600")
                .header("stream-restartable", "true").send().status()).isEqualTo(201);
        assertThat(h.call("POST", "j").header("content-type", "application/json").body("[{\"a\":1},{\"b\":2}]").send().status())
                .isEqualTo(204);
        assertThat(h.call("PUT", "t").header("content-type", "text/plain")
                .header("stream-expires-at", "2100-01-01T00:00:00Z").body("hello").send().status()).isEqualTo(201);
        assertThat(h.call("POST", "t").header("stream-closed", "true").send().status()).isEqualTo(204);
        Response head = h.call("HEAD", "j").send();

        JsonNode streams = list(listing()).get("streams");
        JsonNode j = streams.get(0);
        assertThat(j.get("name").asText()).isEqualTo("j");
        assertThat(j.get("content_type").asText()).isEqualTo("application/json");
        assertThat(j.get("tail_offset").asText()).isEqualTo(head.headers().get("stream-next-offset"));
        assertThat(j.get("incarnation").asText()).isEqualTo(head.headers().get("stream-incarnation"));
        assertThat(j.get("messages").asLong()).isEqualTo(2);
        assertThat(j.get("bytes").asLong()).isPositive();
        assertThat(j.get("closed").asBoolean()).isFalse();
        assertThat(j.get("ttl_seconds").asLong()).isEqualTo(3600);
        assertThat(j.get("expires_at").isNull()).isTrue();
        assertThat(j.get("restartable").asBoolean()).isTrue();
        assertThat(j.get("forked_from").isNull()).isTrue();
        assertThat(j.get("created_at").asText()).isEqualTo(java.time.Instant.ofEpochMilli(h.now.get()).toString());
        JsonNode t = streams.get(1);
        assertThat(t.get("bytes").asLong()).isEqualTo(5);
        assertThat(t.get("messages").isNull()).as("counted for JSON streams only").isTrue();
        assertThat(t.get("closed").asBoolean()).isTrue();
        assertThat(t.get("ttl_seconds").isNull()).isTrue();
        assertThat(t.get("expires_at").asText()).isEqualTo("2100-01-01T00:00:00Z");
        assertThat(t.get("restartable").asBoolean()).isFalse();
    }

    @Test
    void expiredStreamsAreNotListedAndListingDoesNotKeepStreamsAlive() throws Exception {
        assertThat(h.call("PUT", "short").header("stream-ttl", "10").send().status()).isEqualTo(201);
        h.advance(6_000);
        assertThat(names(list(listing()))).containsExactly("short");
        h.advance(6_000);
        assertThat(names(list(listing()))).as("a listing is no access").isEmpty();
    }

    @Test
    void badParametersAre400ProblemsAndOtherMethods405() {
        String[][] bad = {{"limit", "0"}, {"limit", "1001"}, {"limit", "ten"}, {"limit", ""}, {"limit", "-1"},
                {"limit", "99999999999"}, {"after", "!!"}, {"after", ""}, {"after", "_w"}, {"offset", "-1"}};
        for (String[] p : bad) {
            Response r = listing().param(p[0], p[1]).send();
            assertThat(r.status()).as(p[0] + "=" + p[1]).isEqualTo(400);
            assertThat(r.headers().get("content-type")).isEqualTo("application/problem+json");
        }
        Response twice = listing().param("prefix", "a").param("prefix", "b").send();
        assertThat(twice.status()).isEqualTo(400);
        assertThat(text(twice)).contains("more than once");
        Response post = h.call("POST", StreamListing.PATH).send();
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.headers().get("allow")).isEqualTo("GET");
        assertThat(h.call("PUT", StreamListing.PATH).send().status()).as("no stream can take the name").isEqualTo(405);
    }
}
