package io.durablestreams.servlet.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.servlet.ServletOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Waiting readers hold no thread: 1,000 long-polls parked in the servlet binding under Jetty add
 * only a small fixed number of threads (a servlet holding a thread per request would need 1,000,
 * or exhaust Jetty's 200-thread pool and leave requests unanswered).
 */
class LongPollThreadsTest {
    static final int READERS = 1000;
    /** Far more than the servlet's pool and Jetty's selectors can add, far less than a thread per reader. */
    static final int MAX_EXTRA_THREADS = 100;

    private StreamEngine engine;
    private JettyServlet server;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void thousandLongPollsWaitWithoutThreads() throws Exception {
        engine = new StreamEngine(EngineConfig.defaults().withLongPollTimeoutMillis(300_000), new MemoryStorage(),
                System::currentTimeMillis, RandomGenerator.getDefault());
        server = JettyServlet.start(engine, ServletOptions.defaults(), "127.0.0.1", 0);
        String stream = server.url() + JettyServlet.STREAM_PATH + "/waiting";
        HttpClient client = HttpClient.newHttpClient();
        assertThat(client.send(HttpRequest.newBuilder(URI.create(stream)).PUT(HttpRequest.BodyPublishers.noBody())
                .header("content-type", "text/plain").build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(201);
        int before = ManagementFactory.getThreadMXBean().getThreadCount();

        // plain sockets: the client side adds no thread either
        byte[] poll = ("GET " + JettyServlet.STREAM_PATH + "/waiting?offset=now&live=long-poll HTTP/1.1\r\nHost: test\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < READERS; i++) {
            Socket s = new Socket("127.0.0.1", server.port());
            s.setSoTimeout(60_000);
            sockets.add(s);
            s.getOutputStream().write(poll);
            s.getOutputStream().flush();
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (engine.parkedReaders() < READERS) {
            assertThat(System.currentTimeMillis()).as("all long-polls parked").isLessThan(deadline);
            Thread.sleep(20);
        }
        int during = ManagementFactory.getThreadMXBean().getThreadCount();
        System.out.printf("threads: %d before, %d with %d long-polls waiting (%d extra)%n", before, during, READERS, during - before);
        assertThat(during - before).as("threads added by %d waiting long-polls", READERS).isLessThan(MAX_EXTRA_THREADS);
        assertThat(threadsInsideTheServlet()).as("threads whose stack is in the servlet binding while readers wait").isEmpty();

        assertThat(client.send(HttpRequest.newBuilder(URI.create(stream)).POST(HttpRequest.BodyPublishers.ofString("hello"))
                .header("content-type", "text/plain").build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(204);
        for (Socket s : sockets) {
            assertThat(statusLine(s.getInputStream())).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    /** Names of threads (other than this test's) executing servlet-binding code now. */
    private static List<String> threadsInsideTheServlet() {
        List<String> inside = new ArrayList<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread == Thread.currentThread()) {
                return;
            }
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().startsWith("io.durablestreams.servlet.")) {
                    inside.add(thread.getName());
                    return;
                }
            }
        });
        return inside;
    }

    private static String statusLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\r'; b = in.read()) {
            assertThat(b).as("response before the connection closed").isNotNegative();
            line.append((char) b);
        }
        return line.toString();
    }
}
