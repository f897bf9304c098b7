package dev.purertc.ice;

/** Which local candidates may be used, as the browser's {@code RTCIceTransportPolicy}. */
public enum IceTransportPolicy {
    /** Host, server-reflexive and relayed candidates. */
    ALL,
    /** Relayed candidates only: the peer never learns a host or reflexive address. */
    RELAY
}
