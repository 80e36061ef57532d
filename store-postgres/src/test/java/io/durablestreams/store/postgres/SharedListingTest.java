package io.durablestreams.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablestreams.engine.StreamListing;
import io.durablestreams.engine.http.Response;
import io.durablestreams.protocol.Offset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stream listing with nodes sharing one database: every node lists what the database holds. */
class SharedListingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Node a;
    private Node b;

    @BeforeEach
    void start() throws Exception {
        String url = TestPostgres.freshDatabase();
        a = new Node(url).awaitListening();
        b = new Node(url).awaitListening();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private static JsonNode list(Node n, String... params) throws Exception {
        Node.Call call = n.call("GET", StreamListing.PATH);
        for (int i = 0; i < params.length; i += 2) {
            call.param(params[i], params[i + 1]);
        }
        Response r = call.send();
        assertThat(r.status()).as(Node.text(r)).isEqualTo(200);
        return JSON.readTree(Node.text(r));
    }

    private static List<String> names(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("streams").forEach(s -> out.add(s.get("name").asText()));
        return out;
    }

    @Test
    void aNodeListsStreamsAnotherNodeCreatedWithTheirCommittedState() throws Exception {
        for (String name : List.of("q/3", "q/1", "q/2", "other")) {
            assertThat(a.call("PUT", name).header("content-type", "application/json").send().status()).isEqualTo(201);
        }
        assertThat(a.call("POST", "q/1").header("content-type", "application/json").body("[1,2]").send().status()).isEqualTo(204);
        assertThat(a.call("POST", "q/2").header("stream-closed", "true").send().status()).isEqualTo(204);
        assertThat(a.call("PUT", "q/4").header("content-type", "application/json")
                .header("stream-forked-from", "/v1/stream/q/1").send().status()).isEqualTo(201);
        assertThat(a.call("DELETE", "q/1").send().status()).as("soft: q/4 reads it").isEqualTo(204);
        assertThat(a.call("DELETE", "q/3").send().status()).isEqualTo(204);

        JsonNode first = list(b, "prefix", "q/", "limit", "1");
        assertThat(names(first)).containsExactly("q/2");
        JsonNode q2 = first.get("streams").get(0);
        assertThat(q2.get("closed").asBoolean()).isTrue();
        assertThat(q2.get("messages").isNull()).as("not known without loading").isTrue();
        JsonNode second = list(b, "prefix", "q/", "limit", "1", "after", first.get("next").asText());
        assertThat(names(second)).containsExactly("q/4");
        JsonNode fork = second.get("streams").get(0);
        assertThat(fork.get("forked_from").get("name").asText()).isEqualTo("q/1");
        String tail = a.call("HEAD", "q/4").send().headers().get("stream-next-offset");
        assertThat(fork.get("tail_offset").asText()).isEqualTo(tail);
        assertThat(fork.get("bytes").asLong()).isEqualTo(Offset.parse(tail).position());
        assertThat(second.get("next").isNull()).isTrue();
        assertThat(names(list(a))).containsExactly("other", "q/2", "q/4");
    }
}
