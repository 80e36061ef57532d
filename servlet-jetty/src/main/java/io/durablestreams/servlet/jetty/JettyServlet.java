package io.durablestreams.servlet.jetty;

import io.durablestreams.engine.StreamEngine;
import io.durablestreams.servlet.DurableStreamsServlet;
import io.durablestreams.servlet.ServletOptions;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The servlet binding in an embedded Jetty 12, serving streams under {@value #STREAM_PATH}. Closing stops Jetty, not the engine. */
public final class JettyServlet implements AutoCloseable {
    public static final String STREAM_PATH = "/v1/stream";
    /** Connections without traffic are closed after {@value} ms (Jetty's default, 30 s, would cut default long-polls). */
    static final long IDLE_TIMEOUT_MILLIS = 65_000;

    private final Server server;
    private final ServerConnector connector;

    private JettyServlet(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Starts Jetty on {@code host}:{@code port} (0: a free port) and returns once it listens. */
    public static JettyServlet start(StreamEngine engine, ServletOptions options, String host, int port) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // stream names may hold any character: %2F and %25 in a path are a name's '/' and '%', not an attack
        http.setUriCompliance(UriCompliance.DEFAULT.with("durable-streams",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        // as ds serve: longer than a long-poll or an SSE keep-alive waits without traffic
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder("durable-streams", new DurableStreamsServlet(engine, options));
        holder.setAsyncSupported(true);
        context.addServlet(holder, STREAM_PATH + "/*");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        server.setHandler(context);
        server.start();
        JettyServlet started = new JettyServlet(server, connector);
        engine.setPublicRoot(started.url() + STREAM_PATH + "/");
        return started;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The server root, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        String host = connector.getHost() == null || connector.getHost().equals("0.0.0.0") ? "127.0.0.1" : connector.getHost();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
