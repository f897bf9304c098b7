package dev.purertc.sdp;

/**
 * A non-attribute line inside a session or media section, such as {@code c=IN IP4 0.0.0.0},
 * {@code t=0 0} or {@code b=AS:30}. The text is kept as written.
 *
 * <p>Immutable and thread-safe.
 *
 * @param type the type letter; one of {@code i u e p c b t r z k} (RFC 8866 §5); {@code v o s m a}
 *             have their own representation
 * @param text the text after {@code <type>=}
 */
public record SdpField(char type, String text) implements SdpLine {
    /** RFC 8866 §5 type letters that this record may carry. */
    static final String FIELD_TYPES = "iuepcbtrzk";

    /** @throws IllegalArgumentException for another type letter or text holding CR, LF or NUL */
    public SdpField {
        if (FIELD_TYPES.indexOf(type) < 0) {
            throw new IllegalArgumentException("'" + type + "=' is not a field line type (one of " + FIELD_TYPES + ")");
        }
        checkText(text, "'" + type + "=' line");
    }

    /** {@code c=IN IP4 <address>} (RFC 8866 §5.7), the connection line JSEP uses. */
    public static SdpField connection(String addressType, String address) {
        return new SdpField('c', "IN " + addressType + ' ' + address);
    }

    static void checkText(String text, String what) {
        if (text == null) {
            throw new IllegalArgumentException(what + " has no text");
        }
        // RFC 8866 §9: byte-string excludes NUL, CR and LF. (indexOf is vectorized; a char loop is not.)
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0 || text.indexOf(0) >= 0) {
            throw new IllegalArgumentException(what + " contains CR, LF or NUL");
        }
    }
}
