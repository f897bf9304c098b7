package dev.purertc.sdp;

/**
 * An SDP attribute line (RFC 8866 §5.13): {@code a=<name>} (a property attribute, {@code value}
 * null) or {@code a=<name>:<value>} (value possibly empty). The value is kept exactly as written,
 * including leading spaces such as in {@code a=msid-semantic: WMS}.
 *
 * <p>The values of the attributes WebRTC depends on are validated on construction:
 * {@code candidate} (RFC 8839 §5.1), {@code fingerprint} (RFC 8122 §5), {@code setup} (RFC 4145 §4),
 * {@code mid} and {@code group} (RFC 5888), {@code ice-ufrag}, {@code ice-pwd}, {@code ice-options}
 * (RFC 8839), {@code sctp-port}, {@code max-message-size} (RFC 8841) and {@code sctpmap}. All other
 * attributes are kept without interpretation.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name attribute name, an RFC 8866 token; case-sensitive
 * @param value attribute value, or null for a property attribute
 */
public record Attribute(String name, String value) implements SdpLine {
    /** @throws IllegalArgumentException if the name is not a token, the value holds CR, LF or NUL, or a
     *         known attribute's value is malformed */
    public Attribute {
        if (!SdpSyntax.isToken(name)) {
            throw new IllegalArgumentException("attribute name is not a token: '" + SdpSyntax.clip(name) + "'");
        }
        if (value != null) {
            SdpField.checkText(value, "attribute '" + name + "'");
        }
        // Values of the attributes WebRTC depends on are checked here, so a parsed or built
        // description never holds a malformed candidate, fingerprint, setup, mid, group, etc.
        WebRtcAttributes.check(name, value);
    }

    /** A property attribute such as {@code a=end-of-candidates}. */
    public static Attribute flag(String name) {
        return new Attribute(name, null);
    }

    /** True for {@code a=<name>} without a colon. */
    public boolean isFlag() {
        return value == null;
    }

    @Override
    public char type() {
        return 'a';
    }

    @Override
    public String text() {
        return value == null ? name : name + ':' + value;
    }
}
