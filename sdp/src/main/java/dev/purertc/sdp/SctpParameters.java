package dev.purertc.sdp;

import java.util.Locale;
import java.util.Optional;

/**
 * SCTP-over-DTLS parameters of a data-channel m= section (RFC 8841): the SCTP port and the largest
 * message the writer of the section can receive, in both the current form
 * ({@code m=application 9 UDP/DTLS/SCTP webrtc-datachannel}, {@code a=sctp-port},
 * {@code a=max-message-size}) and the legacy form ({@code m=application <port> DTLS/SCTP 5000},
 * {@code a=sctpmap:5000 webrtc-datachannel 1024}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param port SCTP port (RFC 8841 §5; 5000 when {@code a=sctp-port} is absent)
 * @param maxMessageSize the {@code a=max-message-size} value: 65536 when absent, 0 for no limit (RFC 8841 §6)
 * @param legacy true for the {@code DTLS/SCTP} + {@code a=sctpmap} form
 * @param maxStreams the stream count from a legacy {@code a=sctpmap}, or 0 when not stated
 */
public record SctpParameters(int port, long maxMessageSize, boolean legacy, int maxStreams) {
    /** RFC 8841 §5.1: the SCTP port when {@code a=sctp-port} is absent. */
    public static final int DEFAULT_PORT = 5000;
    /** RFC 8841 §6.1: the limit when {@code a=max-message-size} is absent. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 65536;
    /** RFC 8841 §6.1: the value meaning "no limit". */
    public static final long UNLIMITED = 0;

    /** Protocol of current data-channel sections (RFC 8841 §4.1). */
    public static final String PROTO_UDP = "UDP/DTLS/SCTP";
    /** Protocol of current data-channel sections over TCP (RFC 8841 §4.1). */
    public static final String PROTO_TCP = "TCP/DTLS/SCTP";
    /** Legacy protocol (draft-ietf-mmusic-sctp-sdp-05). */
    public static final String PROTO_LEGACY = "DTLS/SCTP";
    /** The format of current data-channel sections (RFC 8841 §4.1, RFC 8832). */
    public static final String FORMAT_DATACHANNEL = "webrtc-datachannel";

    /** @throws IllegalArgumentException for a port outside 0-65535 or negative sizes */
    public SctpParameters {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("SCTP port must be 0 to 65535: " + port);
        }
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("max-message-size must not be negative: " + maxMessageSize);
        }
        if (maxStreams < 0 || maxStreams > 65535) {
            throw new IllegalArgumentException("max streams must be 0 to 65535: " + maxStreams);
        }
    }

    /** True when this m= section is a data-channel section: {@code application} with an SCTP-over-DTLS protocol. */
    public static boolean isDataChannelSection(MediaDescription m) {
        if (!m.media().equalsIgnoreCase("application")) {
            return false;
        }
        String proto = m.proto().toUpperCase(Locale.ROOT);
        return proto.equals(PROTO_UDP) || proto.equals(PROTO_TCP) || proto.equals(PROTO_LEGACY);
    }

    /** True for the legacy {@code DTLS/SCTP} protocol. */
    public static boolean isLegacySection(MediaDescription m) {
        return m.proto().equalsIgnoreCase(PROTO_LEGACY);
    }

    /**
     * Reads the SCTP parameters of a data-channel section.
     *
     * @throws SdpParseException if the section is not a data-channel section or a value is malformed
     */
    public static SctpParameters of(MediaDescription m) throws SdpParseException {
        if (!isDataChannelSection(m)) {
            throw new SdpValidationException("m=application", m.mid().orElse(null),
                    "m=" + m.media() + " " + m.proto() + " is not a data-channel section");
        }
        try {
            Optional<String> mms = m.attributeValue(WebRtcAttributes.MAX_MESSAGE_SIZE);
            long maxMessageSize = mms.isPresent() ? WebRtcAttributes.maxMessageSize(mms.get()) : DEFAULT_MAX_MESSAGE_SIZE;
            if (isLegacySection(m)) {
                // Legacy form: the format is the SCTP port, described by a matching a=sctpmap.
                int port = (int) SdpSyntax.parseDigits(m.formats().get(0), 5, 65535, "legacy DTLS/SCTP format (SCTP port)");
                int streams = 0;
                for (Attribute a : m.attributes(WebRtcAttributes.SCTPMAP)) {
                    var map = WebRtcAttributes.Sctpmap.parse(WebRtcAttributes.requireValue(a));
                    if (map.port() == port) {
                        streams = map.streams();
                        break;
                    }
                }
                return new SctpParameters(port, maxMessageSize, true, streams);
            }
            Optional<String> portValue = m.attributeValue(WebRtcAttributes.SCTP_PORT);
            int port = portValue.isPresent() ? WebRtcAttributes.sctpPort(portValue.get()) : DEFAULT_PORT;
            return new SctpParameters(port, maxMessageSize, false, 0);
        } catch (IllegalArgumentException e) {
            throw new SdpParseException(0, e.getMessage());
        }
    }

    /** True when the peer announced {@code a=max-message-size:0}, no limit. */
    public boolean isMaxMessageSizeUnlimited() {
        return maxMessageSize == UNLIMITED;
    }

    /**
     * The largest message that may be sent: the smaller of the two {@code max-message-size} values,
     * where 0 means no limit (RFC 8841 §6.1). Returns {@link Long#MAX_VALUE} when neither side limits.
     */
    public static long sendLimit(long localMaxMessageSize, long remoteMaxMessageSize) {
        if (localMaxMessageSize < 0 || remoteMaxMessageSize < 0) {
            throw new IllegalArgumentException("max-message-size must not be negative");
        }
        long local = localMaxMessageSize == UNLIMITED ? Long.MAX_VALUE : localMaxMessageSize;
        long remote = remoteMaxMessageSize == UNLIMITED ? Long.MAX_VALUE : remoteMaxMessageSize;
        return Math.min(local, remote);
    }
}
