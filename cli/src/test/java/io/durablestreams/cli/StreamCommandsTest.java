package io.durablestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every client command end to end against a real server: data round trips, metadata and exit codes. */
class StreamCommandsTest extends ServerBackedTest {
    @Test
    void bytesRoundTripThroughStdinInChunks() {
        byte[] data = new byte[200_000];
        new Random(7).nextBytes(data);
        ok(ds.run("create", "bin"));

        ok(ds.run(new ByteArrayInputStream(data), "write", "bin", "--chunk-bytes", "4096"));

        assertThat(ok(ds.run("read", "bin")).stdout()).isEqualTo(data);
    }

    @Test
    void textArgumentsAreJoinedWithSpaces() {
        ok(ds.run("create", "text", "-t", "text/plain"));
        ok(ds.run("write", "text", "hello", "world"));
        ok(ds.runWithInput("line 1\nline 2\n", "write", "text"));

        assertThat(ok(ds.run("read", "text")).out()).isEqualTo("hello worldline 1\nline 2\n");
    }

    @Test
    void jsonStreamKeepsMessagesFromArgumentsLinesJsonAndBatchJson() {
        ok(ds.run("create", "events", "--content-type", "application/json"));
        ok(ds.run("write", "events", "{\"n\":1}", "\"two\""));
        ok(ds.runWithInput("{\"n\":3}\n\n[4, 5]\n", "write", "events"));
        ok(ds.run("write", "events", "--json", "[6, 7]"));
        ok(ds.run("write", "events", "--batch-json", "[8, {\"n\": 9}]"));

        assertThat(ok(ds.run("read", "events", "--ndjson")).out())
                .isEqualTo("{\"n\":1}\n\"two\"\n{\"n\":3}\n[4,5]\n[6,7]\n8\n{\"n\":9}\n");
        assertThat(ok(ds.run("read", "events")).out()).as("raw bytes when stdout is not a terminal")
                .startsWith("[{\"n\":1},\"two\"").endsWith("]");
    }

    @Test
    void jsonIsPrettyPrintedOnATerminal() {
        ok(ds.run("create", "pretty", "-t", "application/json"));
        ok(ds.run("write", "pretty", "{\"a\":1,\"b\":[true]}"));

        String out = ok(new Cli(server.url()).stdoutIsTerminal().run("read", "pretty")).out();

        assertThat(out).isEqualTo("{\n  \"a\" : 1,\n  \"b\" : [ true ]\n}\n");
    }

    @Test
    void printOffsetResumesExactlyAfterWhatWasRead() {
        ok(ds.run("create", "resume", "-t", "text/plain"));
        ok(ds.run("write", "resume", "first "));
        String offset = lastLine(ok(ds.run("read", "resume", "--print-offset")).stderr());
        ok(ds.run("write", "resume", "second"));

        assertThat(ok(ds.run("read", "resume", "--offset", offset)).out()).isEqualTo("second");
        assertThat(ok(ds.run("read", "resume", "--from-now")).out()).isEmpty();
    }

    @Test
    void headPrintsMetadata() {
        ok(ds.run("create", "meta", "-t", "text/plain", "--ttl", "1h"));
        ok(ds.run("write", "meta", "abc"));

        String out = ok(ds.run("head", "meta")).out();

        assertThat(out).contains("content-type  text/plain", "closed        false", "ttl           3600",
                "url           " + server.url() + "/v1/stream/meta");
        assertThat(out).containsPattern("next-offset +\\S+");
    }

    @Test
    void closeWithFinalDataThenWritesAreRefused() {
        ok(ds.run("create", "closing", "-t", "application/json"));
        ok(ds.run("close", "closing", "{\"last\":true}"));

        assertThat(ok(ds.run("head", "closing")).out()).contains("closed        true");
        assertThat(ok(ds.run("read", "closing", "--ndjson")).out()).isEqualTo("{\"last\":true}\n");
        assertThat(ds.run("write", "closing", "1").code()).isEqualTo(ExitCode.CONFLICT);
        assertThat(ds.run("close", "closing").code()).as("closing again is idempotent").isEqualTo(0);
    }

    @Test
    void createClosedMakesAnEmptyFinishedStream() {
        ok(ds.run("create", "done", "--closed"));

        assertThat(ok(ds.run("read", "done", "--follow")).stdout()).isEmpty();
    }

    @Test
    void forkInheritsUpToTheOffsetAndSubOffset() {
        ok(ds.run("create", "source", "-t", "application/json"));
        ok(ds.run("write", "source", "1"));
        String afterFirst = lastLine(ok(ds.run("read", "source", "--print-offset")).stderr());
        ok(ds.run("write", "source", "2", "3"));

        ok(ds.run("fork", "branch", "--from", "source", "--offset", afterFirst, "--sub-offset", "1"));
        ok(ds.run("write", "branch", "\"mine\""));

        assertThat(ok(ds.run("read", "branch", "--ndjson")).out()).isEqualTo("1\n2\n\"mine\"\n");
        assertThat(ok(ds.run("read", "source", "--ndjson")).out()).isEqualTo("1\n2\n3\n");
    }

    @Test
    void deleteRemovesTheStream() {
        ok(ds.run("create", "gone"));
        ok(ds.run("delete", "gone"));

        assertThat(ds.run("head", "gone").code()).isEqualTo(ExitCode.NOT_FOUND);
    }

    @Test
    void fullStreamUrlsWorkInPlaceOfNames() {
        String url = server.url() + "/v1/stream/by-url";
        ok(new Cli("http://127.0.0.1:1").run("create", url, "-t", "text/plain"));
        ok(ds.run("write", url, "x"));

        assertThat(ok(ds.run("read", "by-url")).out()).isEqualTo("x");
    }

    @Test
    void exitCodesNameTheErrorClass() {
        ok(ds.run("create", "typed", "-t", "application/json"));

        Cli.Result missing = ds.run("read", "no-such-stream");
        assertThat(missing.code()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(missing.stderr()).startsWith("ds read: Stream not found: /v1/stream/no-such-stream")
                .doesNotContain("\tat ");
        assertThat(ds.run("create", "typed", "-t", "text/plain").code()).isEqualTo(ExitCode.CONFLICT);
        assertThat(ds.run("write", "typed", "{not json").code()).isEqualTo(ExitCode.BAD_DATA);
        assertThat(ds.run("read", "typed", "--offset", "garbage").code()).isEqualTo(ExitCode.BAD_DATA);
        assertThat(ds.run("read").code()).as("missing STREAM").isEqualTo(ExitCode.USAGE);
        assertThat(ds.run("write", "typed", "--json", "--batch-json", "[1]").code()).isEqualTo(ExitCode.USAGE);
        assertThat(ds.run("read", "typed", "--live", "carrier-pigeon").code()).isEqualTo(ExitCode.USAGE);

        Cli.Result unreachable = new Cli("http://127.0.0.1:1").run("head", "typed");
        assertThat(unreachable.code()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(unreachable.stderr()).contains("is the server running?");
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        String help = ok(ds.run("--help")).out();
        assertThat(help).contains("serve", "create", "write", "read", "head", "close", "delete", "fork",
                "Exit codes:", "DS_LONG_POLL_TIMEOUT");
        for (String command : new String[] {"create", "write", "read", "head", "close", "delete", "fork"}) {
            assertThat(ok(ds.run(command, "--help")).out()).as(command)
                    .contains("Usage: ds " + command, "--url", "--auth", "--config", "Exit codes:",
                            "4   authentication");
        }
    }

    static Cli.Result ok(Cli.Result result) {
        assertThat(result.code()).as(result.toString()).isZero();
        return result;
    }

    static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }
}
