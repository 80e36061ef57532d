package io.durablestreams.engine.subscriptions;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * SSRF rules for webhook URLs (PROTOCOL.md §6.2, §12.8). A webhook URL uses https and its host
 * reaches only public addresses: private (RFC 1918, unique-local), loopback, link-local (with the
 * 169.254.169.254 cloud metadata endpoint), CGNAT, unspecified, multicast and reserved addresses
 * are refused, also when an IPv6 address embeds one of them (IPv4-mapped, IPv4-compatible, NAT64,
 * 6to4). {@link #check} judges the URL itself (a literal address, the name {@code localhost});
 * {@link #vet} judges the addresses its host resolved to, before each delivery connects to one.
 *
 * <p>The protocol's development exception, {@code localhost}, {@code 127.0.0.x} and {@code [::1]}
 * over http or https, applies only when the operator opts in ({@code ds serve
 * --allow-local-webhooks}): otherwise anyone who may create a subscription could make the server
 * POST to its own loopback services.
 */
final class WebhookUrlPolicy {
    /** Thrown with a reason a URL or address is not acceptable. */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    private final boolean allowLocal;

    /** @param allowLocal whether the loopback development exception applies */
    WebhookUrlPolicy(boolean allowLocal) {
        this.allowLocal = allowLocal;
    }

    /** Checks what the URL says by itself; names other than localhost are vetted once resolved. */
    URI check(String url) throws Rejected {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Rejected("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new Rejected("the URL needs a host and must not carry credentials");
        }
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new Rejected("webhook URLs must use https");
        }
        String host = host(uri);
        InetAddress literal = literal(host);
        boolean local = literal != null ? isDevelopmentLoopback(literal) : isLocalName(host);
        if (local && !allowLocal) {
            throw new Rejected("webhook URLs must not target the server's own host " + host
                    + " (a development server may allow it with --allow-local-webhooks)");
        }
        if (scheme.equals("http") && !local) {
            throw new Rejected("webhook URLs must use https (http only for localhost and 127.0.0.x in development)");
        }
        if (literal != null) {
            vet(literal);
        }
        return uri;
    }

    /**
     * Vets every address the URL's host resolved to and returns the one to connect to: all must
     * be acceptable, so no answer of a round-robin name can lead inside.
     */
    InetAddress vet(URI uri, InetAddress[] resolved) throws Rejected {
        if (resolved.length == 0) {
            throw new Rejected("cannot resolve " + host(uri));
        }
        for (InetAddress a : resolved) {
            vet(a);
        }
        return resolved[0];
    }

    /** The URL's host name or address literal, without IPv6 brackets, in lower case. */
    static String host(URI uri) {
        String h = uri.getHost().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            return h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private void vet(InetAddress a) throws Rejected {
        if (allowLocal && isDevelopmentLoopback(a)) {
            return;
        }
        String why = whyNotPublic(a);
        if (why != null) {
            throw new Rejected("webhook address " + a.getHostAddress() + " is " + why);
        }
    }

    /** The address of a literal host (IPv4 in any form Java parses, or IPv6), or null for a name. */
    private static InetAddress literal(String host) throws Rejected {
        boolean ipv4 = !host.isEmpty() && host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
        if (!ipv4 && !host.contains(":")) {
            return null;
        }
        if (ipv4 && host.split("\\.", -1).length > 4) {
            throw new Rejected("not an address: " + host);
        }
        try {
            return InetAddress.getByName(host); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new Rejected("not an address: " + host);
        }
    }

    /** {@code localhost} and its subdomains (RFC 6761 §6.3), which resolve to loopback. */
    private static boolean isLocalName(String host) {
        return host.equals("localhost") || host.endsWith(".localhost");
    }

    /** The protocol's development exception: 127.0.0.x and ::1 (IPv4-mapped forms parse as IPv4). */
    private static boolean isDevelopmentLoopback(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return b[0] == 127 && b[1] == 0 && b[2] == 0;
        }
        byte[] v4 = embeddedIpv4(b, false);
        return v4 != null ? v4[0] == 127 && v4[1] == 0 && v4[2] == 0 : a.isLoopbackAddress();
    }

    /** Why the address is not a public unicast address, or null if it is. */
    static String whyNotPublic(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            byte[] v4 = embeddedIpv4(b, true);
            if (v4 != null) {
                return whyNotPublicIpv4(v4);
            }
            return whyNotPublicIpv6(a, b);
        }
        return whyNotPublicIpv4(b);
    }

    private static String whyNotPublicIpv4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        int third = b[2] & 0xff;
        if (first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)) {
            return "private";
        }
        if (first == 127) {
            return "loopback";
        }
        if (first == 169 && second == 254) {
            return "link-local";
        }
        if (first == 100 && second >= 64 && second <= 127) {
            return "shared (CGNAT)";
        }
        if (first == 0) {
            return "unspecified";
        }
        if (first >= 224 && first <= 239) {
            return "multicast";
        }
        boolean reserved = first >= 240 // includes 255.255.255.255
                || (first == 192 && second == 0 && (third == 0 || third == 2))
                || (first == 198 && (second == 18 || second == 19))
                || (first == 198 && second == 51 && third == 100)
                || (first == 203 && second == 0 && third == 113);
        return reserved ? "reserved" : null;
    }

    private static String whyNotPublicIpv6(InetAddress a, byte[] b) {
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local";
        }
        if (a.isSiteLocalAddress() || (b[0] & 0xfe) == 0xfc) {
            return "private";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        boolean localNat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b
                && b[4] == 0x00 && b[5] == 0x01; // 64:ff9b:1::/48
        boolean discard = b[0] == 0x01 && allZero(b, 1, 8); // 100::/64
        boolean documentation = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == (byte) 0xb8; // 2001:db8::/32
        return localNat64 || discard || documentation ? "reserved" : null;
    }

    /**
     * The IPv4 address inside an IPv4-mapped ({@code ::ffff:0:0/96}) or IPv4-compatible
     * ({@code ::/96}) address, and with {@code translated} also inside NAT64 ({@code 64:ff9b::/96})
     * and 6to4 ({@code 2002::/16}) addresses; null if there is none.
     */
    private static byte[] embeddedIpv4(byte[] b, boolean translated) {
        if (b.length != 16) {
            return null;
        }
        boolean mapped = allZero(b, 0, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        boolean compatible = allZero(b, 0, 12) && !(allZero(b, 12, 15) && (b[15] == 0 || b[15] == 1)); // not :: or ::1
        boolean nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && allZero(b, 4, 12);
        if (mapped || compatible || (translated && nat64)) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if (translated && b[0] == 0x20 && b[1] == 0x02) {
            return new byte[] {b[2], b[3], b[4], b[5]};
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
