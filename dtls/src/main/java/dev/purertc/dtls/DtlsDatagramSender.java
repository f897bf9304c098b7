package dev.purertc.dtls;

import java.io.IOException;

/**
 * Where a {@link DtlsTransport} puts the datagrams it produces (the ICE-selected UDP socket, or an
 * in-memory link in tests).
 *
 * <p>Called on the thread that caused the datagram: the handshake pool thread during the handshake,
 * the caller of {@link DtlsTransport#send} for application data, the feeding thread for alerts and
 * handshake retransmissions answered after the handshake. The array is only valid during the call:
 * send it or copy it before returning.
 */
@FunctionalInterface
public interface DtlsDatagramSender {
    void sendDatagram(byte[] buffer, int offset, int length) throws IOException;
}
