package dev.purertc.ice;

import java.net.InetSocketAddress;

/**
 * Receives DTLS datagrams (first byte 20..63, RFC 7983) from an {@link IceTransport}.
 *
 * <p>Called on the ice4j thread that reads the socket, one datagram at a time, in arrival order.
 * {@code data} is reused for the next datagram: copy what must outlive the call. Do not block.
 */
@FunctionalInterface
public interface DatagramReceiver {

    /**
     * @param data   buffer holding the datagram; valid only during this call
     * @param offset first byte of the datagram in {@code data}
     * @param length datagram length in bytes
     * @param source remote address it came from
     */
    void onDatagram(byte[] data, int offset, int length, InetSocketAddress source);
}
