package dev.purertc.sdp;

/** Writes a {@link SessionDescription} as SDP text, CRLF after every line (RFC 8866 §5). */
final class SdpWriter {
    private static final String CRLF = "\r\n";

    private SdpWriter() {
    }

    static String write(SessionDescription sd) {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("v=0").append(CRLF);
        sb.append("o=").append(sd.origin().text()).append(CRLF);
        sb.append("s=").append(sd.sessionName()).append(CRLF);
        appendLines(sb, sd.lines());
        for (MediaDescription m : sd.media()) {
            sb.append("m=").append(m.mediaLineText()).append(CRLF);
            appendLines(sb, m.lines());
        }
        return sb.toString();
    }

    private static void appendLines(StringBuilder sb, java.util.List<SdpLine> lines) {
        for (SdpLine line : lines) {
            sb.append(line.type()).append('=');
            if (line instanceof Attribute a) {
                sb.append(a.name());
                if (a.value() != null) {
                    sb.append(':').append(a.value());
                }
            } else {
                sb.append(line.text());
            }
            sb.append(CRLF);
        }
    }
}
