package dev.purertc.channel;

import dev.purertc.sctp.channel.DataChannelInit;

/**
 * The browser's {@code RTCDataChannelInit} dictionary (W3C WebRTC §6.2): immutable, built fluently from
 * {@link #defaults()}. Unset numbers are {@code null}, as in JavaScript.
 *
 * @param ordered           deliver in order (default true)
 * @param maxPacketLifeTime partial reliability by lifetime in milliseconds, or null
 * @param maxRetransmits    partial reliability by retransmissions, or null
 * @param protocol          sub-protocol name (default empty)
 * @param negotiated        true when the application agreed on the channel out of band (no DCEP; {@code id} required)
 * @param id                stream id, or null to allocate one by DTLS role (RFC 8832 §6)
 */
public record RTCDataChannelInit(boolean ordered, Integer maxPacketLifeTime, Integer maxRetransmits, String protocol,
                                 boolean negotiated, Integer id) {

    private static final RTCDataChannelInit DEFAULTS = new RTCDataChannelInit(true, null, null, "", false, null);

    /** W3C WebRTC §6.2 createDataChannel steps: the checks a browser makes on the dictionary. */
    public RTCDataChannelInit {
        if (protocol == null) {
            throw new IllegalArgumentException("protocol must not be null");
        }
        if (maxPacketLifeTime != null && maxRetransmits != null) {
            throw new IllegalArgumentException("maxPacketLifeTime and maxRetransmits are mutually exclusive");
        }
        if (maxPacketLifeTime != null && maxPacketLifeTime < 0 || maxRetransmits != null && maxRetransmits < 0) {
            throw new IllegalArgumentException("maxPacketLifeTime and maxRetransmits must not be negative");
        }
        if (negotiated && id == null) {
            throw new IllegalArgumentException("a negotiated channel needs an id");
        }
        if (id != null && (id < 0 || id > 65534)) {
            throw new IllegalArgumentException("id must be 0..65534, got " + id);
        }
        if (protocol.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 65535) {
            throw new IllegalArgumentException("protocol longer than 65535 bytes");
        }
    }

    /** Reliable, ordered, announced with DCEP, id allocated: the browser's defaults. */
    public static RTCDataChannelInit defaults() {
        return DEFAULTS;
    }

    public RTCDataChannelInit withOrdered(boolean value) {
        return new RTCDataChannelInit(value, maxPacketLifeTime, maxRetransmits, protocol, negotiated, id);
    }

    public RTCDataChannelInit withMaxPacketLifeTime(Integer millis) {
        return new RTCDataChannelInit(ordered, millis, maxRetransmits, protocol, negotiated, id);
    }

    public RTCDataChannelInit withMaxRetransmits(Integer count) {
        return new RTCDataChannelInit(ordered, maxPacketLifeTime, count, protocol, negotiated, id);
    }

    public RTCDataChannelInit withProtocol(String value) {
        return new RTCDataChannelInit(ordered, maxPacketLifeTime, maxRetransmits, value, negotiated, id);
    }

    /** A negotiated channel on stream {@code streamId}: both peers create it with the same id, no DCEP. */
    public RTCDataChannelInit withNegotiated(int streamId) {
        return new RTCDataChannelInit(ordered, maxPacketLifeTime, maxRetransmits, protocol, true, streamId);
    }

    public RTCDataChannelInit withId(Integer streamId) {
        return new RTCDataChannelInit(ordered, maxPacketLifeTime, maxRetransmits, protocol, negotiated, streamId);
    }

    /** The SCTP layer's form; priority is the browsers' "low" default of 256. */
    DataChannelInit toSctp() {
        return new DataChannelInit(ordered, maxRetransmits == null ? -1 : maxRetransmits,
                maxPacketLifeTime == null ? -1 : maxPacketLifeTime, protocol, negotiated, id == null ? -1 : id, 256);
    }
}
