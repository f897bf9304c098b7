package dev.purertc.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One media section: the {@code m=} line (RFC 8866 §5.14)
 * {@code m=<media> <port>[/<number of ports>] <proto> <fmt> ...} and the lines that follow it, in order.
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return modified copies.
 *
 * @param media media type, e.g. {@code application}, {@code audio}
 * @param port transport port; 0 marks a rejected or disabled section (RFC 3264 §6)
 * @param numberOfPorts the {@code /<number of ports>} suffix, or 0 when absent
 * @param proto transport protocol, e.g. {@code UDP/DTLS/SCTP}
 * @param formats the format list, at least one entry (e.g. {@code webrtc-datachannel})
 * @param lines the section's lines after {@code m=}, in order
 */
public record MediaDescription(String media, int port, int numberOfPorts, String proto, List<String> formats,
                               List<SdpLine> lines) {

    /** @throws IllegalArgumentException if any part of the m= line is malformed */
    public MediaDescription {
        if (!SdpSyntax.isToken(media)) {
            throw new IllegalArgumentException("m= media is not a token: '" + SdpSyntax.clip(media) + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("m= port must be 0 to 65535: " + port);
        }
        if (numberOfPorts < 0) {
            throw new IllegalArgumentException("m= number of ports must not be negative: " + numberOfPorts);
        }
        if (!isProto(proto)) {
            throw new IllegalArgumentException("m= proto is not token *(\"/\" token): '" + SdpSyntax.clip(proto) + "'");
        }
        formats = List.copyOf(formats);
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("m= line has no format");
        }
        for (String fmt : formats) {
            if (!SdpSyntax.isToken(fmt)) {
                throw new IllegalArgumentException("m= format is not a token: '" + SdpSyntax.clip(fmt) + "'");
            }
        }
        lines = SdpLines.copy(lines);
    }

    // RFC 8866 §9: proto = token *("/" token)
    private static boolean isProto(String proto) {
        if (proto == null || proto.isEmpty()) {
            return false;
        }
        int start = 0;
        for (int i = 0; i <= proto.length(); i++) {
            if (i == proto.length() || proto.charAt(i) == '/') {
                if (i == start) {
                    return false;
                }
                start = i + 1;
            } else if (!SdpSyntax.isTokenChar(proto.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static MediaDescription parseMediaLine(String text, List<SdpLine> lines) {
        List<String> f = SdpSyntax.splitSpaces(text, "m= line");
        if (f.size() < 4) {
            throw new IllegalArgumentException("m= line needs media, port, proto and at least one format");
        }
        String portText = f.get(1);
        int slash = portText.indexOf('/');
        int port;
        int count = 0;
        if (slash >= 0) {
            port = (int) SdpSyntax.parseDigits(portText.substring(0, slash), 5, 65535, "m= port");
            count = (int) SdpSyntax.parseDigits(portText.substring(slash + 1), 5, 65535, "m= number of ports");
            if (count == 0) {
                throw new IllegalArgumentException("m= number of ports must be at least 1");
            }
        } else {
            port = (int) SdpSyntax.parseDigits(portText, 5, 65535, "m= port");
        }
        return new MediaDescription(f.get(0), port, count, f.get(2), f.subList(3, f.size()), lines);
    }

    /** The text after {@code m=}. */
    public String mediaLineText() {
        StringBuilder sb = new StringBuilder(64).append(media).append(' ').append(port);
        if (numberOfPorts > 0) {
            sb.append('/').append(numberOfPorts);
        }
        sb.append(' ').append(proto);
        for (String fmt : formats) {
            sb.append(' ').append(fmt);
        }
        return sb.toString();
    }

    /** A section with the given m= line parts and no lines yet. */
    public static MediaDescription of(String media, int port, String proto, List<String> formats) {
        return new MediaDescription(media, port, 0, proto, formats, List.of());
    }

    /** All {@code a=} lines, in order. */
    public List<Attribute> attributes() {
        return SdpLines.attributes(lines);
    }

    /** All {@code a=<name>} lines, in order. */
    public List<Attribute> attributes(String name) {
        return SdpLines.attributes(lines, name);
    }

    /** The first {@code a=<name>} line. */
    public Optional<Attribute> attribute(String name) {
        return SdpLines.first(lines, name);
    }

    /** The value of the first {@code a=<name>} line that has one. */
    public Optional<String> attributeValue(String name) {
        for (Attribute a : SdpLines.attributes(lines, name)) {
            if (a.value() != null) {
                return Optional.of(a.value());
            }
        }
        return Optional.empty();
    }

    /** True if an {@code a=<name>} line is present (with or without value). */
    public boolean hasAttribute(String name) {
        return SdpLines.first(lines, name).isPresent();
    }

    /** Lines of one non-attribute type, e.g. {@code 'c'}. */
    public List<SdpField> fields(char type) {
        return SdpLines.fields(lines, type);
    }

    /** The {@code a=mid} value (RFC 5888 §4). */
    public Optional<String> mid() {
        return attributeValue("mid");
    }

    /**
     * The {@code a=candidate} lines of this section, decoded (RFC 8839 §5.1).
     *
     * @throws SdpParseException if a candidate is malformed (only possible for sections built in code;
     *         parsed sections were checked with line numbers)
     */
    public List<IceCandidate> candidates() throws SdpParseException {
        List<IceCandidate> out = new ArrayList<>();
        for (Attribute a : attributes(WebRtcAttributes.CANDIDATE)) {
            try {
                out.add(IceCandidate.parseValue(WebRtcAttributes.requireValue(a)));
            } catch (IllegalArgumentException e) {
                throw new SdpParseException(0, e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    /** True if this section carries {@code a=end-of-candidates} (RFC 8840 §8.2). */
    public boolean endOfCandidates() {
        return hasAttribute(WebRtcAttributes.END_OF_CANDIDATES);
    }

    /** True when the port is 0: rejected in an answer or disabled in an offer (RFC 3264 §6, RFC 8843 bundle-only aside). */
    public boolean isRejected() {
        return port == 0 && !hasAttribute("bundle-only");
    }

    /** A copy with another port. */
    public MediaDescription withPort(int newPort) {
        return new MediaDescription(media, newPort, numberOfPorts, proto, formats, lines);
    }

    /** A copy with other lines. */
    public MediaDescription withLines(List<SdpLine> newLines) {
        return new MediaDescription(media, port, numberOfPorts, proto, formats, newLines);
    }

    /** A copy with one more line appended. */
    public MediaDescription withLine(SdpLine line) {
        return withLines(SdpLines.appended(lines, line));
    }

    /** A copy with one more attribute appended. */
    public MediaDescription withAttribute(String name, String value) {
        return withLine(new Attribute(name, value));
    }

    /** A copy without any {@code a=<name>} line. */
    public MediaDescription withoutAttribute(String name) {
        return withLines(SdpLines.withoutAttributes(lines, name));
    }

    /** A copy with a candidate appended (RFC 8839 §5.1). */
    public MediaDescription withCandidate(IceCandidate candidate) {
        return withLine(candidate.toAttribute());
    }

    /** Lines in insertion order, for building sections by hand; not thread-safe. */
    public static Builder builder(String media, int port, String proto, List<String> formats) {
        return new Builder(media, port, proto, formats);
    }

    /** Mutable builder for {@link MediaDescription}; not thread-safe. */
    public static final class Builder {
        private final String media;
        private final int port;
        private final String proto;
        private final List<String> formats;
        private final List<SdpLine> lines = new ArrayList<>();

        private Builder(String media, int port, String proto, List<String> formats) {
            this.media = media;
            this.port = port;
            this.proto = proto;
            this.formats = List.copyOf(formats);
        }

        /** Appends {@code <type>=<text>}. */
        public Builder field(char type, String text) {
            lines.add(new SdpField(type, text));
            return this;
        }

        /** Appends {@code a=<name>:<value>} ({@code a=<name>} if value is null). */
        public Builder attribute(String name, String value) {
            lines.add(new Attribute(name, value));
            return this;
        }

        /** Appends {@code a=<name>}. */
        public Builder flag(String name) {
            lines.add(Attribute.flag(name));
            return this;
        }

        /** Appends any line. */
        public Builder line(SdpLine line) {
            lines.add(line);
            return this;
        }

        public MediaDescription build() {
            return new MediaDescription(media, port, 0, proto, formats, lines);
        }
    }
}
