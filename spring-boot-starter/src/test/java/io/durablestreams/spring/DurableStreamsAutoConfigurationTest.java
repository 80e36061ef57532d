package io.durablestreams.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablestreams.client.DurableStreamsClient;
import io.durablestreams.client.JsonCodec;
import io.durablestreams.engine.EngineConfig;
import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.server.auth.Authenticator;
import io.durablestreams.server.auth.Grant;
import io.durablestreams.servlet.DurableStreamsServlet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import tools.jackson.databind.json.JsonMapper;

/** The auto-configuration: properties bind, beans back off, the health indicator reports the store. */
class DurableStreamsAutoConfigurationTest {
    private final WebApplicationContextRunner server = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DurableStreamsServerAutoConfiguration.class));
    private final ApplicationContextRunner client = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DurableStreamsClientAutoConfiguration.class));

    @Test
    void nothingIsMountedUnlessEnabled() {
        server.run(ctx -> assertThat(ctx).doesNotHaveBean(StreamEngine.class).doesNotHaveBean(ServletRegistrationBean.class));
    }

    @Test
    void propertiesBindIntoTheEngineAndTheServletMapping(@TempDir Path dir) {
        server.withPropertyValues("durable-streams.server.enabled=true", "durable-streams.server.path=/api/streams/",
                        "durable-streams.server.store=file", "durable-streams.server.data-dir=" + dir,
                        "durable-streams.server.long-poll-timeout=2s", "durable-streams.server.max-append-bytes=4096",
                        "durable-streams.server.sse-reconnect-interval=5m", "durable-streams.server.cors-origin=https://app.example")
                .run(ctx -> {
                    EngineConfig config = ctx.getBean(StreamEngine.class).config();
                    assertThat(config.longPollTimeoutMillis()).isEqualTo(2000);
                    assertThat(config.maxAppendBytes()).isEqualTo(4096);
                    assertThat(config.sseReconnectMillis()).isEqualTo(300_000);
                    ServletRegistrationBean<?> servlet = ctx.getBean("durableStreamsServlet", ServletRegistrationBean.class);
                    assertThat(servlet.getServlet()).isInstanceOf(DurableStreamsServlet.class);
                    assertThat(servlet.getUrlMappings()).containsExactly("/api/streams/*");
                    assertThat(servlet.isAsyncSupported()).isTrue();
                    assertThat(ctx.getBean(DurableStreamsProperties.class).getServer().getCorsOrigin()).isEqualTo("https://app.example");
                });
        assertThat(dir.resolve("clean-shutdown")).as("the file store in data-dir, closed with the context").exists();
    }

    @Test
    void theApplicationsOwnEngineAndServletWin() {
        StreamEngine own = new StreamEngine(EngineConfig.defaults(), new MemoryStorage(), System::currentTimeMillis,
                RandomGenerator.getDefault());
        ServletRegistrationBean<DurableStreamsServlet> ownServlet = new ServletRegistrationBean<>();
        server.withPropertyValues("durable-streams.server.enabled=true")
                .withBean(StreamEngine.class, () -> own)
                .withBean("durableStreamsServlet", ServletRegistrationBean.class, () -> ownServlet)
                .run(ctx -> {
                    assertThat(ctx).getBean(StreamEngine.class).isSameAs(own);
                    assertThat(ctx.getBean("durableStreamsServlet")).isSameAs(ownServlet);
                });
    }

    @Test
    void theHealthIndicatorReportsTheStore() {
        server.withPropertyValues("durable-streams.server.enabled=true", "durable-streams.server.store=memory").run(ctx -> {
            Health health = ctx.getBean(DurableStreamsHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("store", "memory").containsEntry("streams", 0);
        });
    }

    @Test
    void theAuthorizerMapsTheRequestsSpringSecurityAuthenticationToItsGrant() throws Exception {
        SpringSecurityGrants grants = new SpringSecurityGrants(auth -> auth == null || !auth.isAuthenticated() ? null
                : new Grant(auth.getName(), List.of("chat/"), List.of("chat/" + auth.getName() + "/")));
        try {
            SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("ann", "pw", "ROLE_USER"));
            Grant grant = grants.resolve(null);
            assertThat(grant.mayWrite("chat/ann/x")).isTrue();
            assertThat(grant.mayWrite("chat/bob/x")).isFalse();
            SecurityContextHolder.clearContext();
            assertThatThrownBy(() -> grants.resolve(null)).isInstanceOf(Authenticator.Rejected.class)
                    .hasMessage("authentication required");
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    @Test
    void theClientBindsItsPropertiesAndUsesTheApplicationsJsonMapper() {
        client.withPropertyValues("durable-streams.client.base-url=http://localhost:9/streams",
                        "durable-streams.client.max-retries=2", "durable-streams.client.initial-retry-delay=50ms",
                        "durable-streams.client.bearer-token=t0k")
                .withBean(JsonMapper.class, () -> JsonMapper.builder().build())
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(DurableStreamsClient.class);
                    DurableStreamsProperties.Client props = ctx.getBean(DurableStreamsProperties.class).getClient();
                    assertThat(props.getMaxRetries()).isEqualTo(2);
                    assertThat(props.getInitialRetryDelay()).isEqualTo(Duration.ofMillis(50));
                    JsonCodec codec = ctx.getBean(JsonCodec.class);
                    assertThat(codec).isInstanceOf(Jackson3JsonCodec.class);
                    assertThat(codec.parse("{\"a\":[1,2]}")).isEqualTo(Map.of("a", List.of(1, 2)));
                });
    }

    @Test
    void noClientWithoutABaseUrlAndTheApplicationsClientWins() {
        client.run(ctx -> assertThat(ctx).doesNotHaveBean(DurableStreamsClient.class));
        DurableStreamsClient own = DurableStreamsClient.newBuilder().baseUrl("http://other/").build();
        client.withPropertyValues("durable-streams.client.base-url=http://localhost:9/streams")
                .withBean(DurableStreamsClient.class, () -> own)
                .run(ctx -> assertThat(ctx).getBean(DurableStreamsClient.class).isSameAs(own));
    }
}
