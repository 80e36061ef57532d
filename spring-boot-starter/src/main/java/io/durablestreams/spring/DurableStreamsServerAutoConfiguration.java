package io.durablestreams.spring;

import io.durablestreams.engine.StreamEngine;
import io.durablestreams.engine.store.ControlStore;
import io.durablestreams.engine.store.StreamStorage;
import io.durablestreams.engine.store.memory.MemoryControlStore;
import io.durablestreams.engine.store.memory.MemoryStorage;
import io.durablestreams.engine.subscriptions.WebhookOptions;
import io.durablestreams.server.auth.GrantResolver;
import io.durablestreams.server.common.ServerMetrics;
import io.durablestreams.server.webhooks.NettyWebhookTransport;
import io.durablestreams.servlet.DurableStreamsServlet;
import io.durablestreams.servlet.ServletOptions;
import io.durablestreams.store.file.FileControlStore;
import io.durablestreams.store.file.FileStorage;
import io.durablestreams.store.file.FileStoreConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.random.RandomGenerator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Mounts the Durable Streams servlet in a servlet web application when
 * {@code durable-streams.server.enabled=true}. Every bean backs off when the application defines
 * its own: the {@link StreamEngine} (and with it the store), the servlet registration (bean name
 * {@code durableStreamsServlet}), the health indicator.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DurableStreamsServlet.class)
@ConditionalOnProperty(prefix = "durable-streams.server", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(DurableStreamsProperties.class)
public class DurableStreamsServerAutoConfiguration {

    /** The engine over the configured store; closed (with the store) when the context closes. */
    @Bean
    @ConditionalOnMissingBean
    public StreamEngine durableStreamsEngine(DurableStreamsProperties properties) {
        DurableStreamsProperties.Server server = properties.getServer();
        StreamStorage storage;
        ControlStore control;
        switch (server.getStore()) {
            case MEMORY -> {
                storage = new MemoryStorage();
                control = new MemoryControlStore();
            }
            case FILE -> {
                storage = new FileStorage(FileStoreConfig.defaults(server.getDataDir()));
                control = new FileControlStore(server.getDataDir());
            }
            case POSTGRES -> {
                var pg = PostgresStore.open(server.getPostgresUrl());
                storage = pg;
                control = PostgresStore.control(pg);
            }
            default -> throw new IllegalStateException("unknown store " + server.getStore());
        }
        try {
            return new StreamEngine(server.engineConfig(), storage, control,
                    new WebhookOptions(new NettyWebhookTransport(), server.isAllowLocalWebhooks()),
                    System::currentTimeMillis, RandomGenerator.getDefault());
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    @Bean
    public EngineShutdown durableStreamsEngineShutdown(StreamEngine engine) {
        return new EngineShutdown(engine);
    }

    /**
     * The servlet under {@code durable-streams.server.path}. Authorization: a
     * {@code GrantResolver<HttpServletRequest>} bean, else a {@link DurableStreamsAuthorizer} bean
     * over Spring Security, else none. Metrics go to the application's {@link MeterRegistry}.
     */
    @Bean
    @ConditionalOnMissingBean(name = "durableStreamsServlet")
    public ServletRegistrationBean<DurableStreamsServlet> durableStreamsServlet(
            StreamEngine engine, DurableStreamsProperties properties, ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<GrantResolver<HttpServletRequest>> grants, ObjectProvider<DurableStreamsAuthorizer> authorizer) {
        DurableStreamsProperties.Server server = properties.getServer();
        GrantResolver<HttpServletRequest> resolver = grants.getIfAvailable(() -> {
            DurableStreamsAuthorizer a = authorizer.getIfAvailable();
            return a == null ? null : new SpringSecurityGrants(a);
        });
        MeterRegistry registry = meterRegistry.getIfAvailable();
        ServletOptions options = ServletOptions.defaults()
                .withAllowedOrigin(server.getCorsOrigin())
                .withPublicBaseUrl(server.getPublicUrl())
                .withGrants(resolver)
                .withMetrics(registry == null ? null : new ServerMetrics(engine, registry));
        ServletRegistrationBean<DurableStreamsServlet> registration = new ServletRegistrationBean<>(
                new DurableStreamsServlet(engine, options), server.normalizedPath() + "/*");
        registration.setName("durableStreams");
        registration.setAsyncSupported(true);
        return registration;
    }

    /**
     * Tells the engine the stream root as clients reach it (webhook callback and JWKS URLs), once
     * the port is known: {@code public-url}, else the local server's address.
     */
    @Bean
    public ApplicationListener<WebServerInitializedEvent> durableStreamsPublicRoot(StreamEngine engine,
                                                                                   DurableStreamsProperties properties,
                                                                                   Environment environment) {
        return event -> {
            DurableStreamsProperties.Server server = properties.getServer();
            String contextPath = environment.getProperty("server.servlet.context-path", "").replaceAll("/+$", "");
            String origin = server.getPublicUrl();
            if (origin == null) {
                String address = environment.getProperty("server.address", "127.0.0.1");
                if (address.equals("0.0.0.0") || address.equals("::")) {
                    address = "127.0.0.1";
                }
                origin = "http://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + event.getWebServer().getPort();
            }
            engine.setPublicRoot(origin.replaceAll("/+$", "") + contextPath + server.normalizedPath() + "/");
        };
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "durableStreamsHealthIndicator")
        DurableStreamsHealthIndicator durableStreamsHealthIndicator(StreamEngine engine, DurableStreamsProperties properties) {
            return new DurableStreamsHealthIndicator(engine, properties.getServer().getStore().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * Tomcat refuses {@code %2F} in paths by default; a stream name may hold a '/' sent encoded
     * (and the subscription API sends them so), so it is passed through to the servlet undecoded.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(TomcatConnectorCustomizer.class)
    static class TomcatConfiguration {
        @Bean
        TomcatConnectorCustomizer durableStreamsEncodedSlashes() {
            return connector -> connector.setEncodedSolidusHandling("passthrough");
        }
    }
}
