package dev.purertc.ice;

import java.util.Locale;

/**
 * A parsed STUN or TURN URL (RFC 7064 for {@code stun:}/{@code stuns:}, RFC 7065 for
 * {@code turn:}/{@code turns:}). Host names are kept as written and never resolved here.
 *
 * @param scheme    {@code stun}, {@code stuns}, {@code turn} or {@code turns}
 * @param host      host name or IP literal (IPv6 without brackets)
 * @param port      explicit port, or the scheme's default (3478, or 5349 for the secure schemes)
 * @param transport {@code udp} or {@code tcp}
 */
public record IceServerUrl(String scheme, String host, int port, String transport) {

    /** RFC 7064 §3.2 / RFC 7065 §3.2: default ports. */
    static final int DEFAULT_PORT = 3478;
    static final int DEFAULT_SECURE_PORT = 5349;

    /** True for {@code turn:} and {@code turns:} URLs. */
    public boolean isTurn() {
        return scheme.startsWith("turn");
    }

    /** True for {@code stuns:} and {@code turns:} (TLS) URLs. */
    public boolean isSecure() {
        return scheme.endsWith("s");
    }

    /**
     * Parses {@code scheme:host[:port][?transport=udp|tcp]}.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code url}
     */
    public static IceServerUrl parse(String url) {
        if (url == null) {
            throw new IllegalArgumentException("ICE server URL is null");
        }
        int colon = url.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("ICE server URL without scheme: " + url);
        }
        String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("stun") && !scheme.equals("stuns") && !scheme.equals("turn") && !scheme.equals("turns")) {
            throw new IllegalArgumentException("unknown ICE server scheme '" + scheme + "' in " + url);
        }
        boolean secure = scheme.endsWith("s");
        String rest = url.substring(colon + 1);
        String transport = secure ? "tcp" : "udp";
        int query = rest.indexOf('?');
        if (query >= 0) {
            String q = rest.substring(query + 1);
            rest = rest.substring(0, query);
            if (!scheme.startsWith("turn")) {
                throw new IllegalArgumentException("STUN URLs take no query (RFC 7064 §3.1): " + url);
            }
            if (!q.startsWith("transport=")) {
                throw new IllegalArgumentException("unknown TURN URL query '" + q + "' in " + url);
            }
            transport = q.substring("transport=".length()).toLowerCase(Locale.ROOT);
            if (!transport.equals("udp") && !transport.equals("tcp")) {
                throw new IllegalArgumentException("TURN transport must be udp or tcp: " + url);
            }
        }
        if (rest.startsWith("//")) {
            throw new IllegalArgumentException("ICE server URLs have no '//' (RFC 7064 §3.1): " + url);
        }
        String host;
        String portText = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 literal in " + url);
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("garbage after IPv6 literal in " + url);
                }
                portText = after.substring(1);
            }
        } else {
            int portColon = rest.lastIndexOf(':');
            if (portColon >= 0) {
                host = rest.substring(0, portColon);
                portText = rest.substring(portColon + 1);
            } else {
                host = rest;
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("ICE server URL without host: " + url);
        }
        int port = secure ? DEFAULT_SECURE_PORT : DEFAULT_PORT;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port '" + portText + "' in " + url, e);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range in " + url);
            }
        }
        return new IceServerUrl(scheme, host, port, transport);
    }
}
