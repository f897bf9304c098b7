package dev.purertc.sctp.dcep;

/** DATA_CHANNEL_ACK (RFC 8832 §5.2): a single Message Type byte, 0x02. */
public record DcepAck() implements DcepMessage {
    @Override
    public byte[] toBytes() {
        return new byte[] {(byte) DATA_CHANNEL_ACK};
    }
}
