package dev.purertc.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * SDP text to {@link SessionDescription} (RFC 8866 §5). Every failure, including ones raised by the
 * value types' constructors, leaves as {@link SdpParseException} carrying the line number.
 */
final class SdpParser {
    // RFC 8866 §5: types allowed in the session part and in a media description.
    private static final String SESSION_FIELD_TYPES = "iuepcbtrzk";
    private static final String MEDIA_FIELD_TYPES = "icbk";

    private SdpParser() {
    }

    static SessionDescription parse(String sdp) throws SdpParseException {
        if (sdp == null) {
            throw new SdpParseException(0, "SDP text is null");
        }
        if (sdp.isEmpty()) {
            throw new SdpParseException(1, "SDP text is empty");
        }
        Origin origin = null;
        String sessionName = null;
        List<SdpLine> sessionLines = new ArrayList<>(16);
        boolean sawTiming = false;
        List<MediaDescription> media = new ArrayList<>();
        MediaDescription mediaHeader = null;
        List<SdpLine> mediaLines = null;
        int firstMediaLine = 0;

        int lineNumber = 0;
        int pos = 0;
        int length = sdp.length();
        while (pos < length) {
            lineNumber++;
            int newline = sdp.indexOf('\n', pos);
            int end = newline < 0 ? length : newline;
            int next = newline < 0 ? length : newline + 1;
            if (end > pos && sdp.charAt(end - 1) == '\r') {
                end--;
            }
            String line = sdp.substring(pos, end);
            pos = next;

            if (line.isEmpty()) {
                throw new SdpParseException(lineNumber, "empty line");
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new SdpParseException(lineNumber, "line is not '<type>=<value>': '" + SdpSyntax.clip(line) + "'");
            }
            char type = line.charAt(0);
            String text = line.substring(2);
            // LF cannot occur here: it ends lines. RFC 8866 §9 excludes CR and NUL from values.
            if (text.indexOf('\r') >= 0 || text.indexOf(0) >= 0) {
                throw new SdpParseException(lineNumber, "'" + type + "=' line contains a bare CR or NUL");
            }
            // RFC 8866 §5: the description starts with v=, o=, s= in this order.
            if (lineNumber == 1) {
                if (type != 'v' || !text.equals("0")) {
                    throw new SdpParseException(lineNumber, "first line must be 'v=0'");
                }
                continue;
            }
            if (lineNumber == 2) {
                if (type != 'o') {
                    throw new SdpParseException(lineNumber, "second line must be 'o='");
                }
                origin = call(lineNumber, () -> Origin.parse(text));
                continue;
            }
            if (lineNumber == 3) {
                if (type != 's') {
                    throw new SdpParseException(lineNumber, "third line must be 's='");
                }
                sessionName = text;
                continue;
            }
            boolean inMedia = mediaLines != null;
            if (type == 'm') {
                if (inMedia) {
                    media.add(mediaHeader.withLines(mediaLines));
                } else {
                    firstMediaLine = lineNumber;
                }
                mediaHeader = call(lineNumber, () -> MediaDescription.parseMediaLine(text, List.of()));
                mediaLines = new ArrayList<>(32);
                continue;
            }
            SdpLine parsed;
            if (type == 'a') {
                parsed = parseAttribute(lineNumber, text);
            } else if ((inMedia ? MEDIA_FIELD_TYPES : SESSION_FIELD_TYPES).indexOf(type) >= 0) {
                checkField(lineNumber, type, text);
                parsed = new SdpField(type, text);
                sawTiming |= type == 't';
            } else if ("vos".indexOf(type) >= 0 || SESSION_FIELD_TYPES.indexOf(type) >= 0) {
                throw new SdpParseException(lineNumber, "'" + type + "=' is not allowed "
                        + (inMedia ? "in a media description" : "here"));
            } else {
                // RFC 8866 §5: a description with a type letter the parser does not understand is rejected.
                throw new SdpParseException(lineNumber, "unknown line type '" + printable(type) + "='");
            }
            (inMedia ? mediaLines : sessionLines).add(parsed);
        }
        if (lineNumber < 3) {
            throw new SdpParseException(lineNumber + 1, "description ends before the v=, o= and s= lines");
        }
        if (!sawTiming) {
            // RFC 8866 §5.9: at least one t= line (JSEP writes t=0 0). Blame the line that ends the session part.
            throw new SdpParseException(firstMediaLine > 0 ? firstMediaLine : lineNumber, "no 't=' line in the session part");
        }
        if (mediaLines != null) {
            media.add(mediaHeader.withLines(mediaLines));
        }
        final Origin o = origin;
        final String s = sessionName;
        return call(0, () -> new SessionDescription(o, s, sessionLines, media));
    }

    private static Attribute parseAttribute(int lineNumber, String text) throws SdpParseException {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? null : text.substring(colon + 1);
        return call(lineNumber, () -> new Attribute(name, value));
    }

    private static void checkField(int lineNumber, char type, String text) throws SdpParseException {
        call(lineNumber, () -> {
            switch (type) {
                case 'c' -> {
                    // RFC 8866 §5.7: c=<nettype> <addrtype> <connection-address>
                    var f = SdpSyntax.splitSpaces(text, "c= line");
                    if (f.size() != 3 || !SdpSyntax.isToken(f.get(0)) || !SdpSyntax.isToken(f.get(1))
                            || !SdpSyntax.isNonWhitespace(f.get(2))) {
                        throw new IllegalArgumentException("c= line must be '<nettype> <addrtype> <address>'");
                    }
                }
                case 't' -> {
                    // RFC 8866 §5.9: t=<start-time> <stop-time>, NTP seconds
                    var f = SdpSyntax.splitSpaces(text, "t= line");
                    if (f.size() != 2) {
                        throw new IllegalArgumentException("t= line must be '<start-time> <stop-time>'");
                    }
                    SdpSyntax.parseDigits(f.get(0), 20, Long.MAX_VALUE, "t= start time");
                    SdpSyntax.parseDigits(f.get(1), 20, Long.MAX_VALUE, "t= stop time");
                }
                case 'b' -> {
                    // RFC 8866 §5.8: b=<bwtype>:<bandwidth>
                    int colon = text.indexOf(':');
                    if (colon <= 0 || !SdpSyntax.isToken(text.substring(0, colon))) {
                        throw new IllegalArgumentException("b= line must be '<bwtype>:<bandwidth>'");
                    }
                    SdpSyntax.parseDigits(text.substring(colon + 1), 19, Long.MAX_VALUE, "b= bandwidth");
                }
                default -> {
                    // i=, u=, e=, p=, r=, z=, k= are kept as written.
                }
            }
            return null;
        });
    }

    private static String printable(char c) {
        return c >= 0x21 && c <= 0x7E ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    @FunctionalInterface
    private interface Step<T> {
        T run();
    }

    /** Runs a step that reports bad input as IllegalArgumentException and tags it with the line number. */
    private static <T> T call(int lineNumber, Step<T> step) throws SdpParseException {
        try {
            return step.run();
        } catch (IllegalArgumentException e) {
            throw new SdpParseException(lineNumber, e.getMessage());
        }
    }
}
