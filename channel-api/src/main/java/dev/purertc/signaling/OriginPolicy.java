package dev.purertc.signaling;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a browser may open the WebSocket, from its {@code Origin} header (RFC 6455 §4.2.1
 * item 8 and §10.2: the header exists so a server can refuse scripts from pages it does not trust).
 *
 * <ul>
 *   <li>No {@code Origin}: not a browser (browsers always send it on a WebSocket upgrade); allowed, since a
 *       non-browser client can send any header it likes and is stopped by the token check instead.</li>
 *   <li>An origin on the allow-list ({@code "*"} allows all): allowed.</li>
 *   <li>Otherwise only the server's own origin: the origin's host and port (explicit, or 80/443 by its
 *       scheme) must equal those of the request's {@code Host} header (when the {@code Host} has no port,
 *       the origin scheme's default is assumed, which is what a TLS-terminating proxy on 443 forwards), or
 *       of the bound address when there is no {@code Host}. {@code http} and {@code https} both count:
 *       this server speaks plain HTTP, so an https page with this host and port can only be served
 *       through a proxy in front of it.</li>
 *   <li>DNS rebinding: when the server listens on loopback, a browser's {@code Host} must be a loopback
 *       literal or {@code localhost}. A page on {@code http://evil.example:8080} whose name an attacker
 *       re-points at 127.0.0.1 sends {@code Host} and {@code Origin} both naming evil.example, which would
 *       otherwise look same-origin.</li>
 * </ul>
 * Immutable and thread-safe.
 */
final class OriginPolicy {

    private final boolean allowAll;
    private final Set<String> allowed;

    OriginPolicy(Set<String> allowedOrigins) {
        Set<String> normalized = new HashSet<>();
        boolean all = false;
        for (String o : allowedOrigins) {
            if ("*".equals(o)) {
                all = true;
            } else {
                normalized.add(normalize(o));
            }
        }
        this.allowAll = all;
        this.allowed = Set.copyOf(normalized);
    }

    /**
     * @param origin the {@code Origin} header or null
     * @param host the {@code Host} header or null
     * @param local the address the request arrived on
     * @return null when allowed, else why not (for the 403 body)
     */
    String refusal(String origin, String host, InetSocketAddress local) {
        if (origin == null || allowAll || allowed.contains(normalize(origin))) {
            return null;
        }
        Endpoint from = Endpoint.ofOrigin(origin);
        if (from == null) {
            return "origin not allowed: " + origin; // "null" (sandboxed frames, file: pages) or garbage
        }
        Endpoint self;
        if (host == null || host.isBlank()) {
            String h = local.getAddress().getHostAddress();
            self = new Endpoint(h.contains(":") ? "[" + h + "]" : h, local.getPort());
        } else {
            self = Endpoint.ofHost(host.trim(), from.defaultPort);
            if (self == null) {
                return "origin not allowed: " + origin + " (unparsable Host " + host + ")";
            }
            if (local.getAddress().isLoopbackAddress() && !isLoopbackName(self.host)) {
                return "origin not allowed: " + origin + " (Host " + host + " is not a loopback name on a "
                        + "loopback server: DNS rebinding?)";
            }
        }
        if (from.host.equals(self.host) && from.port == self.port) {
            return null;
        }
        return "origin not allowed: " + origin + " (not this server's origin; add it to allowedOrigins)";
    }

    private static boolean isLoopbackName(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // Only literals: never resolve a name here (no DNS lookups on the event loop, and resolving is what
        // the rebinding attacker controls).
        if (!literal.isEmpty() && (Character.digit(literal.charAt(0), 16) >= 0 || literal.charAt(0) == ':')
                && literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            try {
                return InetAddress.getByName(literal).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private static String normalize(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    /** A host (lower case, IPv6 in brackets) and port. */
    private record Endpoint(String host, int port, int defaultPort) {
        Endpoint(String host, int port) {
            this(host, port, -1);
        }

        /** {@code scheme://host[:port]} with scheme http or https; null otherwise. */
        static Endpoint ofOrigin(String origin) {
            try {
                URI u = new URI(origin.trim());
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                int def = switch (scheme) {
                    case "http" -> 80;
                    case "https" -> 443;
                    default -> -1;
                };
                if (def < 0 || u.getHost() == null || u.getRawUserInfo() != null
                        || (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))) {
                    return null;
                }
                String h = u.getHost().toLowerCase(Locale.ROOT);
                return new Endpoint(h, u.getPort() < 0 ? def : u.getPort(), def);
            } catch (java.net.URISyntaxException e) {
                return null;
            }
        }

        /** A {@code Host} header value, {@code host[:port]}; the port defaults to {@code defaultPort}. */
        static Endpoint ofHost(String host, int defaultPort) {
            try {
                URI u = new URI("http://" + host);
                if (u.getHost() == null || u.getRawUserInfo() != null
                        || (u.getRawPath() != null && !u.getRawPath().isEmpty())) {
                    return null;
                }
                return new Endpoint(u.getHost().toLowerCase(Locale.ROOT), u.getPort() < 0 ? defaultPort : u.getPort());
            } catch (java.net.URISyntaxException e) {
                return null;
            }
        }
    }
}
