package dev.purertc.sdp;

import java.util.List;

/**
 * Names and value syntax of the attributes WebRTC data channels depend on. {@link Attribute} checks
 * these values on construction, so the parser reports malformed ones with their line number and
 * the views decode only well-formed values.
 */
final class WebRtcAttributes {
    static final String CANDIDATE = "candidate";                // RFC 8839 §5.1
    static final String END_OF_CANDIDATES = "end-of-candidates"; // RFC 8840 §8.2
    static final String ICE_UFRAG = "ice-ufrag";                // RFC 8839 §5.4
    static final String ICE_PWD = "ice-pwd";                    // RFC 8839 §5.4
    static final String ICE_OPTIONS = "ice-options";            // RFC 8839 §5.6
    static final String ICE_LITE = "ice-lite";                  // RFC 8839 §5.3
    static final String FINGERPRINT = "fingerprint";            // RFC 8122 §5
    static final String SETUP = "setup";                        // RFC 4145 §4, RFC 8842 §5
    static final String MID = "mid";                            // RFC 5888 §4
    static final String GROUP = "group";                        // RFC 5888 §5
    static final String SCTP_PORT = "sctp-port";                // RFC 8841 §5
    static final String MAX_MESSAGE_SIZE = "max-message-size";  // RFC 8841 §6
    static final String SCTPMAP = "sctpmap";                    // draft-ietf-mmusic-sctp-sdp-05 §5

    private WebRtcAttributes() {
    }

    /** Throws IllegalArgumentException if a known attribute's value is malformed. */
    static void check(String name, String value) {
        switch (name) {
            case CANDIDATE -> IceCandidate.parseValue(requireValue(name, value));
            case FINGERPRINT -> Fingerprint.parse(requireValue(name, value));
            case SETUP -> SetupRole.fromToken(requireValue(name, value));
            case MID -> {
                if (!SdpSyntax.isToken(requireValue(name, value))) {
                    throw new IllegalArgumentException("a=mid value is not a token: '" + SdpSyntax.clip(value) + "'");
                }
            }
            case GROUP -> Group.parse(requireValue(name, value));
            case ICE_UFRAG, ICE_PWD -> {
                if (!SdpSyntax.isNonWhitespace(requireValue(name, value))) {
                    throw new IllegalArgumentException("a=" + name + " value is empty or holds whitespace");
                }
            }
            case ICE_OPTIONS -> iceOptions(requireValue(name, value));
            case SCTP_PORT -> sctpPort(requireValue(name, value));
            case MAX_MESSAGE_SIZE -> maxMessageSize(requireValue(name, value));
            case SCTPMAP -> Sctpmap.parse(requireValue(name, value));
            default -> {
                // Every other attribute is kept as written without interpretation.
            }
        }
    }

    static String requireValue(Attribute a) {
        return requireValue(a.name(), a.value());
    }

    static String requireValue(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException("a=" + name + " needs a value");
        }
        return value;
    }

    /**
     * RFC 8839 §5.6: {@code ice-options = "ice-options:" ice-option-tag *(SP ice-option-tag)}.
     * libdatachannel (libjuice) writes {@code a=ice-options:ice2,trickle}, so commas also separate tags.
     */
    static List<String> iceOptions(String value) {
        List<String> tags = new java.util.ArrayList<>(2);
        for (String spaced : SdpSyntax.splitSpaces(value, "a=ice-options")) {
            for (String tag : spaced.split(",", -1)) {
                if (!SdpSyntax.isVisibleAscii(tag)) {
                    throw new IllegalArgumentException("ice option is empty or not printable ASCII: '" + SdpSyntax.clip(tag) + "'");
                }
                tags.add(tag);
            }
        }
        return List.copyOf(tags);
    }

    // RFC 8841 §5.1: sctp-port-value = 1*5(DIGIT), a port number
    static int sctpPort(String value) {
        return (int) SdpSyntax.parseDigits(value, 5, 65535, "a=sctp-port");
    }

    // RFC 8841 §6.1: max-message-size-value = 1*DIGIT; 0 means no limit
    static long maxMessageSize(String value) {
        return SdpSyntax.parseDigits(value, 19, Long.MAX_VALUE, "a=max-message-size");
    }

    /**
     * Legacy {@code a=sctpmap:<sctp-port> <app> [<max-streams>]} from draft-ietf-mmusic-sctp-sdp-05,
     * still offered by older stacks together with {@code m=application <port> DTLS/SCTP <sctp-port>}.
     */
    record Sctpmap(int port, String app, int streams) {
        static Sctpmap parse(String value) {
            var f = SdpSyntax.splitSpaces(value, "a=sctpmap");
            if (f.size() < 2 || f.size() > 3) {
                throw new IllegalArgumentException("a=sctpmap must be '<port> <app> [<streams>]'");
            }
            int port = (int) SdpSyntax.parseDigits(f.get(0), 5, 65535, "a=sctpmap port");
            if (!SdpSyntax.isToken(f.get(1))) {
                throw new IllegalArgumentException("a=sctpmap app is not a token");
            }
            int streams = f.size() == 3 ? (int) SdpSyntax.parseDigits(f.get(2), 5, 65535, "a=sctpmap streams") : 0;
            return new Sctpmap(port, f.get(1), streams);
        }
    }
}
