package io.durablestreams.crashtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One SSE read ({@code GET ?offset=...&live=sse}) of a text stream, parsed on a thread of its own as
 * events arrive: {@code data} events (their lines joined with LF, as the server splits them) and
 * {@code control} events (JSON, kept as text). {@link #ended()} once the server ends the response.
 */
final class SseReader implements AutoCloseable {
    record Event(String type, String data) {}

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final List<Event> events = new ArrayList<>();
    private final Thread thread;
    private volatile InputStream body;
    private volatile int status;
    private volatile boolean ended;
    private volatile IOException failure;

    private SseReader(Http node, String name, String offset) {
        HttpRequest request = HttpRequest.newBuilder(node.uri(name, "offset=" + offset + "&live=sse")).GET().build();
        thread = new Thread(() -> read(request), "sse-reader");
        thread.setDaemon(true);
        thread.start();
    }

    static SseReader open(Http node, String name, String offset) {
        return new SseReader(node, name, offset);
    }

    private void read(HttpRequest request) {
        try {
            HttpResponse<InputStream> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = r.statusCode();
            body = r.body();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String type = null;
                StringBuilder data = null;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty()) {
                        if (type != null || data != null) {
                            add(new Event(type == null ? "message" : type, data == null ? "" : data.toString()));
                        }
                        type = null;
                        data = null;
                    } else if (line.startsWith("event:")) {
                        type = field(line, "event:");
                    } else if (line.startsWith("data:")) {
                        data = data == null ? new StringBuilder() : data.append('\n');
                        data.append(field(line, "data:"));
                    }
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ended = true;
        }
    }

    /** The field's value: what follows the name, one leading space removed (as SSE parsers do). */
    private static String field(String line, String name) {
        String v = line.substring(name.length());
        return v.startsWith(" ") ? v.substring(1) : v;
    }

    private synchronized void add(Event e) {
        events.add(e);
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** The payloads of the data events so far, concatenated. */
    synchronized String data() {
        StringBuilder out = new StringBuilder();
        events.stream().filter(e -> e.type().equals("data")).forEach(e -> out.append(e.data()));
        return out.toString();
    }

    /** Whether a control event so far contains {@code json} (e.g. {@code "upToDate":true}). */
    synchronized boolean sawControl(String json) {
        return events.stream().anyMatch(e -> e.type().equals("control") && e.data().contains(json));
    }

    int status() {
        return status;
    }

    /** The server ended the response (or the connection failed: see {@link #failure()}). */
    boolean ended() {
        return ended;
    }

    IOException failure() {
        return failure;
    }

    @Override
    public synchronized String toString() {
        return "SSE status " + status + (ended ? ", ended" : "") + (failure == null ? "" : ", failed: " + failure) + ", events " + events;
    }

    /** Closes the response body, which ends the exchange. */
    @Override
    public void close() throws IOException {
        InputStream b = body;
        if (b != null) {
            b.close();
        }
    }
}
