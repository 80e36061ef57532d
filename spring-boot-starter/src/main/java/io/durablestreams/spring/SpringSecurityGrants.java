package io.durablestreams.spring;

import io.durablestreams.server.auth.Authenticator;
import io.durablestreams.server.auth.Grant;
import io.durablestreams.server.auth.GrantResolver;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * A request's grant from its Spring Security {@link Authentication} through the application's
 * {@link DurableStreamsAuthorizer}. The servlet asks on the request's own thread, inside the
 * security filter chain, so the security context holds the request's authentication.
 */
final class SpringSecurityGrants implements GrantResolver<HttpServletRequest> {
    private final DurableStreamsAuthorizer authorizer;

    SpringSecurityGrants(DurableStreamsAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public Grant resolve(HttpServletRequest request) throws Authenticator.Rejected {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        Grant grant = authorizer.grant(authentication);
        if (grant == null) {
            boolean anonymous = authentication == null || authentication instanceof AnonymousAuthenticationToken;
            throw new Authenticator.Rejected(anonymous ? "authentication required" : "the credentials grant no stream access", false);
        }
        return grant;
    }
}
