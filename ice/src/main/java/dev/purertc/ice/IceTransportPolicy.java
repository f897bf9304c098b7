package dev.purertc.ice;

/** Which local candidates may be used, as the browser's {@code RTCIceTransportPolicy}. */
public enum IceTransportPolicy {
    /** Host, server-reflexive and relayed candidates. */
    ALL,
    /**
     * Relayed candidates only: only relayed candidates are signalled and the host sockets talk to the
     * TURN servers alone, so the peer never learns a host or reflexive address.
     */
    RELAY
}
