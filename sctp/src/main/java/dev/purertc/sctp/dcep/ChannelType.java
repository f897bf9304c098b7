package dev.purertc.sctp.dcep;

/** Channel Type of a DATA_CHANNEL_OPEN message (RFC 8832 §5.1). */
public enum ChannelType {
    RELIABLE(0x00),
    RELIABLE_UNORDERED(0x80),
    PARTIAL_RELIABLE_REXMIT(0x01),
    PARTIAL_RELIABLE_REXMIT_UNORDERED(0x81),
    PARTIAL_RELIABLE_TIMED(0x02),
    PARTIAL_RELIABLE_TIMED_UNORDERED(0x82);

    private final int code;

    ChannelType(int code) {
        this.code = code;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** RFC 8832 §5.1: the high bit (0x80) marks unordered delivery. */
    public boolean isOrdered() {
        return (code & 0x80) == 0;
    }

    /** True if the reliability parameter is a retransmission count. */
    public boolean limitsRetransmissions() {
        return (code & 0x7F) == 0x01;
    }

    /** True if the reliability parameter is a lifetime in milliseconds. */
    public boolean limitsLifetime() {
        return (code & 0x7F) == 0x02;
    }

    /** The channel type with this wire value, or null if RFC 8832 defines none. */
    public static ChannelType fromCode(int code) {
        for (ChannelType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
