package io.durablestreams.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * Durable chat rooms: {@code POST /chat/{room}} posts a message (through the starter's
 * {@code DurableStreamsClient} bean), {@code GET /chat/{room}} returns the history; browsers tail a
 * room live at {@code /streams/chat/{room}?offset=-1&live=sse}, served by the starter's servlet.
 * Prints {@code listening on URL} once it serves.
 */
@SpringBootApplication
public class ChatApplication {
    private final Environment environment;

    public ChatApplication(Environment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        SpringApplication.run(ChatApplication.class, args);
    }

    @EventListener
    public void listening(WebServerInitializedEvent event) {
        String address = environment.getProperty("server.address", "127.0.0.1");
        System.out.println("listening on http://" + address + ":" + event.getWebServer().getPort());
    }
}
