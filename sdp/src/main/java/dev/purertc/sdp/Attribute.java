package dev.purertc.sdp;

/**
 * An SDP attribute line (RFC 8866 §5.13): {@code a=<name>} (a property attribute, {@code value}
 * null) or {@code a=<name>:<value>} (value possibly empty). The value is kept exactly as written,
 * including leading spaces such as in {@code a=msid-semantic: WMS}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name attribute name, an RFC 8866 token; case-sensitive
 * @param value attribute value, or null for a property attribute
 */
public record Attribute(String name, String value) implements SdpLine {
    /** @throws IllegalArgumentException if the name is not a token or the value holds CR, LF or NUL */
    public Attribute {
        if (!SdpSyntax.isToken(name)) {
            throw new IllegalArgumentException("attribute name is not a token: '" + SdpSyntax.clip(name) + "'");
        }
        if (value != null) {
            SdpField.checkText(value, "attribute '" + name + "'");
        }
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
