package io.durablestreams.conformance.adapter;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The conformance adapter process: one JSON command per stdin line, one JSON reply per stdout line
 * (ADAPTER.md §3.1). Both directions are UTF-8 whatever the JVM's default charset; everything else,
 * including stray {@code System.out} output of libraries, goes to stderr.
 */
public final class AdapterMain {
    private AdapterMain() {
    }

    /** Runs the read-eval-reply loop until {@code shutdown} or end of input. */
    public static void main(String[] args) throws IOException {
        // The reference server closes idle keep-alive connections after 5 s; retiring ours sooner keeps
        // a POST from being written into a connection the server is closing (plain appends are not
        // retried after such a failure, by design).
        System.setProperty("jdk.httpclient.keepalive.timeout", "3");
        PrintStream protocolOut = new PrintStream(new FileOutputStream(FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));

        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
        Adapter adapter = new Adapter(mapper);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            ObjectNode reply;
            String type = "unknown";
            try {
                JsonNode command = mapper.readTree(line);
                type = command.path("type").asText("unknown");
                reply = adapter.handle(command);
            } catch (IOException | RuntimeException e) {
                reply = Replies.error(mapper, type, e);
            }
            protocolOut.print(mapper.writeValueAsString(reply));
            protocolOut.print('\n');
            protocolOut.flush();
            if ("shutdown".equals(type)) {
                adapter.shutdown();
                return;
            }
        }
        adapter.shutdown();
    }
}
