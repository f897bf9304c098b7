package dev.purertc.sctp.dcep;

/**
 * A Data Channel Establishment Protocol message (RFC 8832), carried with PPID {@link Ppid#DCEP} on
 * the channel's own stream, always ordered and reliable.
 */
public sealed interface DcepMessage permits DcepOpen, DcepAck {
    /** RFC 8832 §8.2.1 Message Type DATA_CHANNEL_ACK. */
    int DATA_CHANNEL_ACK = 0x02;
    /** RFC 8832 §8.2.1 Message Type DATA_CHANNEL_OPEN. */
    int DATA_CHANNEL_OPEN = 0x03;

    /** The encoded message in a new array. */
    byte[] toBytes();

    /**
     * Parses a DCEP message. The array is only read. Bytes after the end of a complete message are
     * ignored, so a peer that pads is still understood.
     *
     * @throws DcepParseException if the message is empty, truncated, of unknown type, has an unknown
     *         channel type or a label/protocol that is not valid UTF-8
     */
    static DcepMessage parse(byte[] payload) throws DcepParseException {
        if (payload.length == 0) {
            throw new DcepParseException("empty DCEP message", 0);
        }
        int type = payload[0] & 0xFF;
        return switch (type) {
            case DATA_CHANNEL_OPEN -> DcepOpen.parse(payload);
            case DATA_CHANNEL_ACK -> new DcepAck();
            default -> throw new DcepParseException("unknown DCEP message type 0x" + Integer.toHexString(type), 0);
        };
    }
}
