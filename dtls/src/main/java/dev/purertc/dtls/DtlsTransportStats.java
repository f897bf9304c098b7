package dev.purertc.dtls;

/**
 * Datagram counters of one {@link DtlsTransport}, as getStats' {@code RTCTransportStats} reports
 * them ({@code packetsSent}, {@code bytesSent}, {@code packetsReceived}, {@code bytesReceived}).
 * Bytes are whole datagrams, DTLS headers included.
 *
 * @param datagramsSent datagrams handed to the sender, handshake included
 * @param bytesSent their total size
 * @param datagramsReceived datagrams fed to the transport and accepted into its queue
 * @param bytesReceived their total size
 * @param datagramsDropped inbound datagrams dropped on a full queue plus outbound ones the sender failed
 */
public record DtlsTransportStats(long datagramsSent, long bytesSent, long datagramsReceived, long bytesReceived,
                                 long datagramsDropped) {
}
