package io.durablestreams.spring;

import io.durablestreams.server.auth.Grant;
import org.springframework.security.core.Authentication;

/**
 * The authorization hook: maps the Spring Security {@link Authentication} of a request to the
 * streams it may read and write, as stream-name prefixes ({@link Grant}; {@code "*"} is every
 * stream). Define one as a bean and the servlet asks it for every stream request; without one
 * every request is served (put the path behind Spring Security's own rules, or define a
 * {@code GrantResolver<HttpServletRequest>} bean to decide without Spring Security).
 *
 * <pre>{@code
 * @Bean
 * DurableStreamsAuthorizer streamsAuthorizer() {
 *     return auth -> auth == null || !auth.isAuthenticated() ? null
 *             : new Grant(auth.getName(), List.of("chat/"), List.of("chat/" + auth.getName() + "/"));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface DurableStreamsAuthorizer {
    /**
     * The grant of this caller, or null when it is not authenticated (answered 401). A grant that
     * does not cover the stream is answered 403. {@code authentication} is null when the request
     * has none.
     */
    Grant grant(Authentication authentication);
}
