package io.durablestreams.spring;

import io.durablestreams.client.DurableStreamsClient;
import io.durablestreams.client.JsonCodec;
import io.durablestreams.client.RetryPolicy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/**
 * A {@link DurableStreamsClient} bean when {@code durable-streams.client.base-url} is set: retry
 * policy and bearer token from properties, or the {@code Authorization} header from a
 * {@link DurableStreamsAuthHeader} bean; JSON through the application's Jackson mapper when it has
 * one (a {@link JsonCodec} bean of its own takes precedence). Backs off when the application
 * defines its own client.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(DurableStreamsClient.class)
@ConditionalOnProperty(prefix = "durable-streams.client", name = "base-url")
@EnableConfigurationProperties(DurableStreamsProperties.class)
public class DurableStreamsClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public DurableStreamsClient durableStreamsClient(DurableStreamsProperties properties, ObjectProvider<JsonCodec> json,
                                                     ObjectProvider<DurableStreamsAuthHeader> authHeader) {
        DurableStreamsProperties.Client client = properties.getClient();
        DurableStreamsClient.Builder builder = DurableStreamsClient.newBuilder()
                .baseUrl(client.getBaseUrl())
                .retryPolicy(RetryPolicy.newBuilder()
                        .maxRetries(client.getMaxRetries())
                        .initialDelayMs(client.getInitialRetryDelay().toMillis())
                        .maxDelayMs(client.getMaxRetryDelay().toMillis())
                        .build());
        DurableStreamsAuthHeader header = authHeader.getIfAvailable();
        if (header != null) {
            builder.header("authorization", header::value);
        } else if (client.getBearerToken() != null) {
            builder.header("authorization", "Bearer " + client.getBearerToken());
        }
        if (client.getRequestTimeout() != null) {
            builder.requestTimeout(client.getRequestTimeout());
        }
        json.ifAvailable(builder::jsonCodec);
        return builder.build();
    }

    /** JSON through the application's Jackson 3 {@link ObjectMapper} (Spring Boot 4's {@code JsonMapper} bean). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObjectMapper.class)
    static class JacksonCodec {
        @Bean
        @ConditionalOnMissingBean(JsonCodec.class)
        @org.springframework.boot.autoconfigure.condition.ConditionalOnBean(ObjectMapper.class)
        Jackson3JsonCodec durableStreamsJsonCodec(ObjectMapper mapper) {
            return new Jackson3JsonCodec(mapper);
        }
    }
}
