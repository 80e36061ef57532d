package io.durablestreams.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ds ls}: the streams the token may read, from the server's listing (docs/listing-api.md). */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List streams (GET /v1/stream/__ds/streams), in name order.",
                "",
                "Only the streams the token may read are listed. A table by default: name, content type, "
                        + "bytes, messages (JSON streams), closed, created; --json prints the server's entries "
                        + "as one JSON array.",
                ""})
final class LsCommand extends StreamCommand {
    /** The largest page the server gives: fewest round trips. */
    private static final int PAGE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", defaultValue = "",
            description = "Only streams whose names start with PREFIX (literally: no wildcards).")
    String prefix;

    @Option(names = "--json", description = "Print every entry the server returned, as one JSON array.")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String listing = ClientOptions.streamUrl(connection.url, "__ds/streams");
        List<JsonNode> streams = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = fetch(http, listing + "?limit=" + PAGE + "&prefix=" + encode(prefix)
                    + (after == null ? "" : "&after=" + encode(after)));
            page.path("streams").forEach(streams::add);
            after = page.path("next").isTextual() ? page.get("next").asText() : null;
        } while (after != null);
        PrintStream out = io().out();
        if (json) {
            try (JsonGenerator g = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
                g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
                JSON.writeTree(g, JSON.valueToTree(streams));
            }
            out.println();
        } else {
            table(out, streams);
        }
        out.flush();
        return ExitCode.OK;
    }

    private JsonNode fetch(HttpClient http, String url) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        String authorization = connection.authorization();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            int code = r.statusCode() == 401 || r.statusCode() == 403 ? ExitCode.AUTH
                    : r.statusCode() == 400 ? ExitCode.USAGE
                    : r.statusCode() == 404 ? ExitCode.NOT_FOUND : ExitCode.UNAVAILABLE;
            throw new CliException(code, "listing failed: HTTP " + r.statusCode() + detail(r.body())
                    + (r.statusCode() == 404 ? " (does the server have the listing API?)" : ""));
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new CliException(ExitCode.UNAVAILABLE, "the server's listing is not JSON", e);
        }
    }

    /** The problem's detail, if the body is a problem+json. */
    private static String detail(String body) {
        try {
            JsonNode d = JSON.readTree(body).path("detail");
            return d.isTextual() ? ": " + d.asText() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void table(PrintStream out, List<JsonNode> streams) {
        String[] head = {"NAME", "CONTENT-TYPE", "BYTES", "MESSAGES", "CLOSED", "CREATED"};
        List<String[]> rows = new ArrayList<>();
        rows.add(head);
        for (JsonNode s : streams) {
            rows.add(new String[] {s.path("name").asText(), s.path("content_type").asText(),
                    s.path("bytes").asText(), s.path("messages").isNumber() ? s.get("messages").asText() : "-",
                    s.path("closed").asBoolean() ? "yes" : "no", s.path("created_at").asText()});
        }
        int[] width = new int[head.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean number = i == 2 || i == 3;
                String cell = number ? " ".repeat(width[i] - row[i].length()) + row[i]
                        : i == row.length - 1 ? row[i] : row[i] + " ".repeat(width[i] - row[i].length());
                line.append(i == 0 ? "" : "  ").append(cell);
            }
            out.println(line);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
