package dev.purertc.sctp.channel;

/**
 * Options of a new data channel, as RTCDataChannelInit (W3C WebRTC §6.2): at most one of
 * {@code maxRetransmits} and {@code maxPacketLifeTimeMillis} may be set (-1 = unset).
 *
 * @param ordered in-order delivery
 * @param maxRetransmits partial reliability by retransmission count, -1 for none
 * @param maxPacketLifeTimeMillis partial reliability by lifetime in milliseconds, -1 for none
 * @param protocol sub-protocol name
 * @param negotiated true when the application agreed on the channel out of band (no DCEP)
 * @param id the stream id for a negotiated channel (or a requested id), -1 to allocate one
 * @param priority DCEP priority (RFC 8832 §5.1; 256 is "normal" in browsers)
 */
public record DataChannelInit(boolean ordered, int maxRetransmits, long maxPacketLifeTimeMillis, String protocol,
        boolean negotiated, int id, int priority) {

    /** Reliable, ordered, DCEP-negotiated: the browser default. */
    public static final DataChannelInit DEFAULT = new DataChannelInit(true, -1, -1, "", false, -1, 256);

    public DataChannelInit {
        if (maxRetransmits >= 0 && maxPacketLifeTimeMillis >= 0) {
            throw new IllegalArgumentException("maxRetransmits and maxPacketLifeTime are mutually exclusive");
        }
        if (negotiated && (id < 0 || id > 65534)) {
            throw new IllegalArgumentException("a negotiated channel needs an id in [0, 65534]");
        }
        if (protocol == null) {
            throw new IllegalArgumentException("protocol must not be null");
        }
    }

    public DataChannelInit withOrdered(boolean v) {
        return new DataChannelInit(v, maxRetransmits, maxPacketLifeTimeMillis, protocol, negotiated, id, priority);
    }

    public DataChannelInit withMaxRetransmits(int v) {
        return new DataChannelInit(ordered, v, maxPacketLifeTimeMillis, protocol, negotiated, id, priority);
    }

    public DataChannelInit withMaxPacketLifeTimeMillis(long v) {
        return new DataChannelInit(ordered, maxRetransmits, v, protocol, negotiated, id, priority);
    }

    public DataChannelInit withProtocol(String v) {
        return new DataChannelInit(ordered, maxRetransmits, maxPacketLifeTimeMillis, v, negotiated, id, priority);
    }

    public DataChannelInit withNegotiatedId(int v) {
        return new DataChannelInit(ordered, maxRetransmits, maxPacketLifeTimeMillis, protocol, true, v, priority);
    }

    public DataChannelInit withPriority(int v) {
        return new DataChannelInit(ordered, maxRetransmits, maxPacketLifeTimeMillis, protocol, negotiated, id, v);
    }
}
