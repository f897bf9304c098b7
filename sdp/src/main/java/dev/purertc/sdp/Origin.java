package dev.purertc.sdp;

/**
 * The {@code o=} line (RFC 8866 §5.2):
 * {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>}.
 * Session id and version are kept as digit strings because RFC 8866 bounds neither.
 *
 * <p>Immutable and thread-safe.
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addressType,
                     String address) {
    /** @throws IllegalArgumentException if any field is empty, holds a space, or the id/version are not digits */
    public Origin {
        if (!SdpSyntax.isNonWhitespace(username)) {
            throw new IllegalArgumentException("o= username is empty or holds whitespace");
        }
        if (!SdpSyntax.isDigits(sessionId)) {
            throw new IllegalArgumentException("o= session id is not a decimal number: '" + SdpSyntax.clip(sessionId) + "'");
        }
        if (!SdpSyntax.isDigits(sessionVersion)) {
            throw new IllegalArgumentException("o= session version is not a decimal number: '" + SdpSyntax.clip(sessionVersion) + "'");
        }
        if (!SdpSyntax.isToken(netType) || !SdpSyntax.isToken(addressType)) {
            throw new IllegalArgumentException("o= network or address type is not a token");
        }
        if (!SdpSyntax.isNonWhitespace(address)) {
            throw new IllegalArgumentException("o= address is empty or holds whitespace");
        }
    }

    /** The origin JSEP writes (RFC 8829 §5.2.1): user "-", IN IP4 127.0.0.1. */
    public static Origin jsep(long sessionId, long sessionVersion) {
        if (sessionId < 0 || sessionVersion < 0) {
            throw new IllegalArgumentException("session id and version must not be negative");
        }
        return new Origin("-", Long.toString(sessionId), Long.toString(sessionVersion), "IN", "IP4", "127.0.0.1");
    }

    static Origin parse(String text) {
        var f = SdpSyntax.splitSpaces(text, "o= line");
        if (f.size() != 6) {
            throw new IllegalArgumentException("o= line needs 6 fields, has " + f.size());
        }
        return new Origin(f.get(0), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5));
    }

    /** The text after {@code o=}. */
    public String text() {
        return username + ' ' + sessionId + ' ' + sessionVersion + ' ' + netType + ' ' + addressType + ' ' + address;
    }
}
