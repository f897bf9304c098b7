package dev.purertc.sdp;

import java.util.List;
import java.util.Optional;

/**
 * ICE credentials and options of one m= section (RFC 8839 §5.4, §5.6), with media-level
 * attributes taking precedence over session-level ones.
 *
 * <p>Immutable and thread-safe.
 *
 * @param ufrag {@code a=ice-ufrag}, 4 to 256 ice-chars ({@code ALPHA / DIGIT / "+" / "/"})
 * @param pwd {@code a=ice-pwd}, 22 to 256 ice-chars
 * @param options {@code a=ice-options} tags, e.g. {@code trickle}
 * @param lite true when the session says {@code a=ice-lite}
 */
public record IceParameters(String ufrag, String pwd, List<String> options, boolean lite) {
    /** The option that announces trickle ICE (RFC 8840 §4.1). */
    public static final String TRICKLE = "trickle";

    /** @throws IllegalArgumentException if ufrag or pwd has the wrong length or a character outside ice-char */
    public IceParameters {
        String problem = ufragProblem(ufrag);
        if (problem == null) {
            problem = pwdProblem(pwd);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        options = List.copyOf(options);
    }

    // RFC 8839 §5.4: ice-ufrag = 4*256ice-char, ice-pwd = 22*256ice-char, ice-char = ALPHA / DIGIT / "+" / "/".
    // The ICE agent puts them in STUN USERNAME and MESSAGE-INTEGRITY: a value outside the grammar would
    // only fail later, past the point where the description could still be refused as a whole.

    /** Why {@code ufrag} is not a valid {@code a=ice-ufrag}, or null when it is. */
    static String ufragProblem(String ufrag) {
        return iceCharsProblem("a=ice-ufrag", ufrag, 4);
    }

    /** Why {@code pwd} is not a valid {@code a=ice-pwd}, or null when it is. */
    static String pwdProblem(String pwd) {
        return iceCharsProblem("a=ice-pwd", pwd, 22);
    }

    private static String iceCharsProblem(String what, String value, int min) {
        if (value == null) {
            return what + " is missing";
        }
        if (value.length() < min || value.length() > 256) {
            return what + " must be " + min + " to 256 ice-chars (RFC 8839 §5.4), got " + value.length();
        }
        for (int i = 0; i < value.length(); i++) {
            if (!SdpSyntax.isIceChar(value.charAt(i))) {
                return what + " has a character outside ice-char (ALPHA / DIGIT / \"+\" / \"/\", RFC 8839 §5.4) at "
                        + "position " + i;
            }
        }
        return null;
    }

    /** True if {@code a=ice-options} lists {@code trickle}. */
    public boolean trickle() {
        return options.contains(TRICKLE);
    }

    /**
     * The ICE parameters that apply to {@code m}: its own attributes, else those of the session.
     *
     * @throws SdpValidationException naming {@code ice-ufrag} or {@code ice-pwd} when one is missing, has the
     *                                wrong length or a character outside ice-char (RFC 8839 §5.4)
     */
    public static IceParameters of(SessionDescription sd, MediaDescription m) throws SdpValidationException {
        String mid = m.mid().orElse(null);
        String ufrag = lookup(sd, m, WebRtcAttributes.ICE_UFRAG)
                .orElseThrow(() -> new SdpValidationException(WebRtcAttributes.ICE_UFRAG, mid,
                        "missing a=ice-ufrag" + where(mid)));
        String pwd = lookup(sd, m, WebRtcAttributes.ICE_PWD)
                .orElseThrow(() -> new SdpValidationException(WebRtcAttributes.ICE_PWD, mid,
                        "missing a=ice-pwd" + where(mid)));
        String problem = ufragProblem(ufrag);
        if (problem != null) {
            throw new SdpValidationException(WebRtcAttributes.ICE_UFRAG, mid, problem + where(mid));
        }
        problem = pwdProblem(pwd);
        if (problem != null) {
            throw new SdpValidationException(WebRtcAttributes.ICE_PWD, mid, problem + where(mid));
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
