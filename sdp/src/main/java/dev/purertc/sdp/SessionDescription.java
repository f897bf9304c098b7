package dev.purertc.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed SDP session description (RFC 8866): the {@code v=0}, {@code o=} and {@code s=} lines,
 * the remaining session-level lines in order, and the media sections in order.
 *
 * <p>Every line survives {@link #parse(String)} and {@link #toSdp()} unchanged, including attributes
 * this module does not interpret, so for CRLF-terminated input {@code parse(s).toSdp().equals(s)}.
 * The parser also accepts LF-only line ends (and a missing final line end); the writer always emits
 * CRLF after every line.
 *
 * <p>The parser checks the RFC 8866 line syntax (line types, {@code v=0}, {@code o=}, {@code s=},
 * {@code t=}, {@code c=}, {@code b=}, {@code m=} fields, attribute names) and the values of the
 * attributes WebRTC depends on ({@code candidate}, {@code fingerprint}, {@code setup}, {@code mid},
 * {@code group}, {@code ice-ufrag}, {@code ice-pwd}, {@code ice-options}, {@code sctp-port},
 * {@code max-message-size}, {@code sctpmap}). It is lenient about the order of lines after
 * {@code s=}. Any problem is an {@link SdpParseException} with the line number; no other exception
 * escapes for any input.
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return modified copies.
 *
 * @param origin the {@code o=} line
 * @param sessionName the {@code s=} text (JSEP writes {@code -})
 * @param lines session-level lines after {@code s=} and before the first {@code m=}, in order
 * @param media the media sections, in order
 */
public record SessionDescription(Origin origin, String sessionName, List<SdpLine> lines, List<MediaDescription> media) {

    /** @throws IllegalArgumentException on null parts or a session name holding CR, LF or NUL */
    public SessionDescription {
        if (origin == null) {
            throw new IllegalArgumentException("origin is required");
        }
        SdpField.checkText(sessionName, "s= line");
        lines = SdpLines.copy(lines);
        media = List.copyOf(media);
    }

    /**
     * Parses SDP text.
     *
     * @throws SdpParseException with the 1-based line number for any malformed input
     */
    public static SessionDescription parse(String sdp) throws SdpParseException {
        return SdpParser.parse(sdp);
    }

    /** Writes the description as SDP text with CRLF line ends (RFC 8866 §5). */
    public String toSdp() {
        return SdpWriter.write(this);
    }

    /** All session-level {@code a=} lines, in order. */
    public List<Attribute> attributes() {
        return SdpLines.attributes(lines);
    }

    /** All session-level {@code a=<name>} lines, in order. */
    public List<Attribute> attributes(String name) {
        return SdpLines.attributes(lines, name);
    }

    /** The first session-level {@code a=<name>} line. */
    public Optional<Attribute> attribute(String name) {
        return SdpLines.first(lines, name);
    }

    /** The value of the first session-level {@code a=<name>} line that has one. */
    public Optional<String> attributeValue(String name) {
        for (Attribute a : SdpLines.attributes(lines, name)) {
            if (a.value() != null) {
                return Optional.of(a.value());
            }
        }
        return Optional.empty();
    }

    /** Session-level lines of one non-attribute type, e.g. {@code 't'}. */
    public List<SdpField> fields(char type) {
        return SdpLines.fields(lines, type);
    }

    /** All {@code a=group} lines (RFC 5888), in order. */
    public List<Group> groups() {
        List<Group> out = new ArrayList<>();
        for (Attribute a : attributes("group")) {
            // Attribute validated the value on construction.
            out.add(Group.parse(a.value()));
        }
        return List.copyOf(out);
    }

    /** The first BUNDLE group (RFC 8843), if any. */
    public Optional<Group> bundleGroup() {
        for (Group g : groups()) {
            if (g.isBundle()) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    /** The media section with this {@code a=mid}, if any. */
    public Optional<MediaDescription> mediaByMid(String mid) {
        for (MediaDescription m : media) {
            if (m.mid().filter(mid::equals).isPresent()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** A copy with other media sections. */
    public SessionDescription withMedia(List<MediaDescription> newMedia) {
        return new SessionDescription(origin, sessionName, lines, newMedia);
    }

    /** A copy with another origin (e.g. an incremented session version). */
    public SessionDescription withOrigin(Origin newOrigin) {
        return new SessionDescription(newOrigin, sessionName, lines, media);
    }

    /** A copy with other session-level lines. */
    public SessionDescription withLines(List<SdpLine> newLines) {
        return new SessionDescription(origin, sessionName, newLines, media);
    }

    /** A copy with one more session-level attribute appended. */
    public SessionDescription withAttribute(String name, String value) {
        return withLines(SdpLines.appended(lines, new Attribute(name, value)));
    }

    /** Starts a builder; not thread-safe. */
    public static Builder builder(Origin origin) {
        return new Builder(origin);
    }

    /** Mutable builder for {@link SessionDescription}; not thread-safe. Session name defaults to {@code -}. */
    public static final class Builder {
        private final Origin origin;
        private String sessionName = "-";
        private final List<SdpLine> lines = new ArrayList<>();
        private final List<MediaDescription> media = new ArrayList<>();

        private Builder(Origin origin) {
            this.origin = origin;
        }

        public Builder sessionName(String name) {
            this.sessionName = name;
            return this;
        }

        /** Appends a session-level {@code <type>=<text>} line. */
        public Builder field(char type, String text) {
            lines.add(new SdpField(type, text));
            return this;
        }

        /** Appends a session-level attribute ({@code a=<name>} if value is null). */
        public Builder attribute(String name, String value) {
            lines.add(new Attribute(name, value));
            return this;
        }

        /** Appends a session-level line. */
        public Builder line(SdpLine line) {
            lines.add(line);
            return this;
        }

        /** Appends a media section. */
        public Builder media(MediaDescription section) {
            media.add(section);
            return this;
        }

        public SessionDescription build() {
            return new SessionDescription(origin, sessionName, lines, media);
        }
    }
}
