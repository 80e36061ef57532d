package io.durablestreams.spring;

/**
 * The {@code Authorization} header the client bean sends, asked for every request (so a token
 * can be refreshed). Takes precedence over {@code durable-streams.client.bearer-token}.
 */
@FunctionalInterface
public interface DurableStreamsAuthHeader {
    /** The header value, e.g. {@code Bearer eyJ...}; null sends none. */
    String value();
}
