package dev.purertc.dtls;

/**
 * Which side of the DTLS handshake this endpoint plays. In WebRTC the SDP {@code a=setup} answer
 * decides (RFC 8842 §5): {@code active} is the client, {@code passive} the server.
 */
public enum DtlsRole {
    CLIENT,
    SERVER
}
