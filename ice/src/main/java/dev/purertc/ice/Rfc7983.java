package dev.purertc.ice;

/**
 * RFC 7983 §7 demultiplexing by the first byte of a datagram. PureRTC carries only STUN, DTLS and,
 * from a TURN server, ChannelData on an ICE socket (data channels only: no SRTP or ZRTP); every other
 * class is dropped.
 */
final class Rfc7983 {

    /** What a datagram is, by its first byte. */
    enum PacketClass {
        /** [0..3]: STUN (RFC 8489), handled by ice4j. */
        STUN,
        /** [20..63]: DTLS record (RFC 9147 / RFC 6347), handed to the DTLS endpoint. */
        DTLS,
        /** [64..79]: TURN ChannelData (RFC 8656 §12.4), only meaningful from a TURN server. */
        TURN_CHANNEL,
        /** Anything else (ZRTP 16..19, RTP/RTCP 128..191, unassigned, empty). */
        OTHER
    }

    private Rfc7983() {
    }

    /** Classifies a datagram whose first byte is {@code firstByte} (0..255). */
    static PacketClass classify(int firstByte) {
        int b = firstByte & 0xFF;
        if (b <= 3) {
            return PacketClass.STUN;
        }
        if (b >= 20 && b <= 63) {
            return PacketClass.DTLS;
        }
        if (b >= 64 && b <= 79) {
            return PacketClass.TURN_CHANNEL;
        }
        return PacketClass.OTHER;
    }

    /** Classifies {@code length} bytes at {@code offset}; an empty datagram is {@link PacketClass#OTHER}. */
    static PacketClass classify(byte[] data, int offset, int length) {
        if (length <= 0) {
            return PacketClass.OTHER;
        }
        return classify(data[offset]);
    }
}
