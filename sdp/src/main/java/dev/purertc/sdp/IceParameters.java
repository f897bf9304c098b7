package dev.purertc.sdp;

import java.util.List;
import java.util.Optional;

/**
 * ICE credentials and options of one m= section (RFC 8839 §5.4, §5.6), with media-level
 * attributes taking precedence over session-level ones.
 *
 * <p>Immutable and thread-safe.
 *
 * @param ufrag {@code a=ice-ufrag}, 4 to 256 characters
 * @param pwd {@code a=ice-pwd}, 22 to 256 characters
 * @param options {@code a=ice-options} tags, e.g. {@code trickle}
 * @param lite true when the session says {@code a=ice-lite}
 */
public record IceParameters(String ufrag, String pwd, List<String> options, boolean lite) {
    /** The option that announces trickle ICE (RFC 8840 §4.1). */
    public static final String TRICKLE = "trickle";

    /** @throws IllegalArgumentException if ufrag or pwd has the wrong length or a whitespace character */
    public IceParameters {
        // RFC 8839 §5.4: ice-ufrag = 4*256ice-char, ice-pwd = 22*256ice-char
        if (!SdpSyntax.isNonWhitespace(ufrag) || ufrag.length() < 4 || ufrag.length() > 256) {
            throw new IllegalArgumentException("ice-ufrag must be 4 to 256 characters without whitespace");
        }
        if (!SdpSyntax.isNonWhitespace(pwd) || pwd.length() < 22 || pwd.length() > 256) {
            throw new IllegalArgumentException("ice-pwd must be 22 to 256 characters without whitespace");
        }
        options = List.copyOf(options);
    }

    /** True if {@code a=ice-options} lists {@code trickle}. */
    public boolean trickle() {
        return options.contains(TRICKLE);
    }

    /**
     * The ICE parameters that apply to {@code m}: its own attributes, else those of the session.
     *
     * @throws SdpValidationException naming {@code ice-ufrag} or {@code ice-pwd} when one is missing or unusable
     */
    public static IceParameters of(SessionDescription sd, MediaDescription m) throws SdpValidationException {
        String mid = m.mid().orElse(null);
        String ufrag = lookup(sd, m, WebRtcAttributes.ICE_UFRAG)
                .orElseThrow(() -> new SdpValidationException(WebRtcAttributes.ICE_UFRAG, mid,
                        "missing a=ice-ufrag" + where(mid)));
        String pwd = lookup(sd, m, WebRtcAttributes.ICE_PWD)
                .orElseThrow(() -> new SdpValidationException(WebRtcAttributes.ICE_PWD, mid,
                        "missing a=ice-pwd" + where(mid)));
        if (ufrag.length() < 4 || ufrag.length() > 256 || !SdpSyntax.isNonWhitespace(ufrag)) {
            throw new SdpValidationException(WebRtcAttributes.ICE_UFRAG, mid, "a=ice-ufrag must be 4 to 256 characters" + where(mid));
        }
        if (pwd.length() < 22 || pwd.length() > 256 || !SdpSyntax.isNonWhitespace(pwd)) {
            throw new SdpValidationException(WebRtcAttributes.ICE_PWD, mid, "a=ice-pwd must be 22 to 256 characters" + where(mid));
        }
        List<String> options = List.of();
        Optional<String> optionText = lookup(sd, m, WebRtcAttributes.ICE_OPTIONS);
        if (optionText.isPresent()) {
            try {
                options = WebRtcAttributes.iceOptions(optionText.get());
            } catch (IllegalArgumentException e) {
                throw new SdpValidationException(WebRtcAttributes.ICE_OPTIONS, mid, e.getMessage());
            }
        }
        boolean lite = sd.attribute(WebRtcAttributes.ICE_LITE).isPresent();
        return new IceParameters(ufrag, pwd, options, lite);
    }

    static Optional<String> lookup(SessionDescription sd, MediaDescription m, String name) {
        Optional<String> v = m.attributeValue(name);
        return v.isPresent() ? v : sd.attributeValue(name);
    }

    static String where(String mid) {
        return mid == null ? "" : " (m= section with mid " + mid + ")";
    }
}
