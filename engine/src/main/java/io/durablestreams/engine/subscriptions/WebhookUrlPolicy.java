package io.durablestreams.engine.subscriptions;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * SSRF rules for webhook URLs (PROTOCOL.md §6.2, §12.8): https only, except the development
 * exception {@code http://localhost} and {@code http://127.0.0.x}; private (RFC 1918, ULA),
 * link-local, loopback, multicast, unspecified and cloud-metadata addresses are rejected — by
 * literal and again after DNS resolution, just before each delivery. Deliveries never follow
 * redirects.
 */
final class WebhookUrlPolicy {
    /** Thrown with a reason a URL is not acceptable. */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    private WebhookUrlPolicy() {}

    static URI check(String url) throws Rejected {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Rejected("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || uri.getRawUserInfo() != null) {
            throw new Rejected("the URL needs a host and must not carry credentials");
        }
        boolean devHost = isDevelopmentHost(host);
        if (scheme.equals("http")) {
            if (!devHost) {
                throw new Rejected("webhook URLs must use https (http is allowed only for localhost and 127.0.0.x)");
            }
            return uri;
        }
        if (!scheme.equals("https")) {
            throw new Rejected("webhook URLs must use https");
        }
        if (devHost) {
            return uri;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (isIpLiteral(literal)) {
            try {
                rejectInternal(InetAddress.getByName(literal));
            } catch (UnknownHostException e) {
                throw new Rejected("unresolvable address");
            }
        }
        return uri;
    }

    /** Resolves the host and rejects it if any address is internal; run before each delivery. */
    static void checkResolved(URI uri) throws Rejected {
        if (isDevelopmentHost(uri.getHost())) {
            return;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
                rejectInternal(a);
            }
        } catch (UnknownHostException e) {
            throw new Rejected("cannot resolve " + uri.getHost());
        }
    }

    static boolean isDevelopmentHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (h.startsWith("127.0.0.")) {
            String last = h.substring("127.0.0.".length());
            return !last.isEmpty() && last.length() <= 3 && last.chars().allMatch(Character::isDigit)
                    && Integer.parseInt(last) <= 255;
        }
        return false;
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }

    private static void rejectInternal(InetAddress a) throws Rejected {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            throw new Rejected("webhook address " + a.getHostAddress() + " is internal");
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            boolean cgnat = first == 100 && second >= 64 && second <= 127;
            boolean reserved = first == 0 || first >= 240 || (first == 192 && second == 0 && (b[2] & 0xff) == 0)
                    || (first == 198 && (second == 18 || second == 19));
            if (cgnat || reserved) {
                throw new Rejected("webhook address " + a.getHostAddress() + " is not public");
            }
        } else if (a instanceof Inet6Address) {
            boolean uniqueLocal = (b[0] & 0xfe) == 0xfc;
            if (uniqueLocal) {
                throw new Rejected("webhook address " + a.getHostAddress() + " is internal");
            }
        }
    }
}
