package io.durablestreams.server.auth;

/**
 * Finds what the caller of a request may do. The built-in one reads bearer tokens and JWTs
 * ({@link Authenticator}); a host application can answer from its own authentication instead
 * (the Spring Boot starter maps Spring Security's {@code Authentication}).
 *
 * @param <R> the binding's request type
 */
@FunctionalInterface
public interface GrantResolver<R> {
    /** The caller's grant; throws when the request carries no usable credentials (answered 401). */
    Grant resolve(R request) throws Authenticator.Rejected;
}
