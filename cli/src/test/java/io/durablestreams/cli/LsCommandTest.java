package io.durablestreams.cli;

import static io.durablestreams.cli.StreamCommandsTest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablestreams.server.auth.AuthConfig;
import io.durablestreams.server.auth.StaticToken;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code ds ls} against a real server with tokens: table, --json, prefixes, pages, grants and exit codes. */
class LsCommandTest {
    private static TestServer server;
    private static Cli admin;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.start(new AuthConfig(List.of(StaticToken.parse("admin:read=*:write=*"),
                StaticToken.parse("team:read=team/")), null, null));
        admin = new Cli(server.url()).env("STREAM_AUTH", "admin");
        ok(admin.run("create", "team/events", "-t", "application/json"));
        ok(admin.run("write", "team/events", "{\"n\":1}", "{\"n\":2}"));
        ok(admin.run("create", "team/notes", "-t", "text/plain"));
        ok(admin.run("write", "team/notes", "hello"));
        ok(admin.run("close", "team/notes"));
        ok(admin.run("create", "other/x y", "-t", "text/plain"));
        for (int i = 0; i < 1005; i++) { // more than one page of the server's largest
            ok(admin.run("create", String.format("many/%04d", i)));
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void aTableOfTheStreamsUnderAPrefix() {
        String out = ok(admin.run("ls", "team/")).out();
        String[] lines = out.split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("NAME").contains("CONTENT-TYPE", "BYTES", "MESSAGES", "CLOSED", "CREATED");
        assertThat(lines[1]).startsWith("team/events").contains("application/json", " 2 ", " no ");
        assertThat(lines[2]).startsWith("team/notes ").contains("text/plain", " 5 ", " - ", " yes ");
        assertThat(ok(admin.run("ls", "other/x ")).out()).contains("other/x y");
        assertThat(ok(admin.run("ls", "nothing")).out().split("\n")).hasSize(1);
    }

    @Test
    void jsonFollowsEveryPage() throws Exception {
        JsonNode all = new ObjectMapper().readTree(ok(admin.run("ls", "many/", "--json")).stdout());
        assertThat(all.size()).isEqualTo(1005);
        List<String> names = new ArrayList<>();
        all.forEach(s -> names.add(s.get("name").asText()));
        assertThat(names).isSorted().doesNotHaveDuplicates();
        JsonNode events = new ObjectMapper().readTree(ok(admin.run("ls", "team/e", "--json")).stdout()).get(0);
        assertThat(events.get("messages").asInt()).isEqualTo(2);
        assertThat(events.get("tail_offset").asText()).isNotEmpty();
    }

    @Test
    void aTokenSeesOnlyItsStreamsAndNoTokenIsAnAuthError() {
        Cli team = new Cli(server.url()).env("STREAM_AUTH", "team");
        assertThat(ok(team.run("ls")).out()).contains("team/events", "team/notes").doesNotContain("other/", "many/");
        Cli.Result anonymous = new Cli(server.url()).run("ls");
        assertThat(anonymous.code()).isEqualTo(ExitCode.AUTH);
        assertThat(anonymous.stderr()).contains("401");
    }
}
