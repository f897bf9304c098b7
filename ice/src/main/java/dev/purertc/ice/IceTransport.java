package dev.purertc.ice;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The selected candidate pair of an {@link IceAgent}, as a datagram pipe for DTLS.
 *
 * <p>The UDP socket underneath carries STUN (ice4j's checks and consent) and DTLS, demultiplexed by
 * the first byte (RFC 7983): DTLS datagrams reach the {@link DatagramReceiver} or the {@link #poll()}
 * queue, STUN stays inside ice4j, anything else is dropped and counted. The same object survives an
 * ICE restart: after the new generation connects, sends go out on its selected pair.
 *
 * <p>Threads: {@link #send} may be called from any thread. Datagrams arrive on ice4j's socket reader
 * thread (one per local host candidate socket, the thread that also reads STUN), or with a
 * {@link dev.purertc.ice.mux.UdpMux} on the mux's reader thread shared by all its agents (a receiver that
 * blocks there stalls every one of them); no thread is added for the transport. Until a receiver is set, DTLS datagrams are queued (bounded, see
 * {@link #MAX_QUEUED_DATAGRAMS}) for {@link #poll()}; setting a receiver first hands it the queued
 * ones, in order, on the calling thread.
 */
public interface IceTransport {

    /** Inbound DTLS datagrams kept for {@link #poll()} before the oldest are dropped. */
    int MAX_QUEUED_DATAGRAMS = 1024;

    /**
     * Sends one datagram to the remote address of the selected pair.
     *
     * @throws IOException if the socket fails, no pair is selected yet, consent expired (RFC 7675 §5.1:
     *                     sending stops until an ICE restart selects a new pair) or the transport is closed
     */
    void send(byte[] data, int offset, int length) throws IOException;

    /** Sends the remaining bytes of {@code datagram} as one datagram; its position moves to its limit. */
    void send(ByteBuffer datagram) throws IOException;

    /**
     * Sets the receiver of inbound DTLS datagrams, or {@code null} to queue them for {@link #poll()}.
     * Datagrams already queued are handed to the new receiver first, on the calling thread.
     */
    void setReceiver(DatagramReceiver receiver);

    /** The next queued DTLS datagram, or {@code null} if none. Never blocks. */
    ByteBuffer poll();

    /** Local address of the selected pair. */
    InetSocketAddress localAddress();

    /** Remote address of the selected pair. */
    InetSocketAddress remoteAddress();

    /** Datagrams dropped: not STUN or DTLS (RFC 7983), or queue overflow. */
    long droppedDatagrams();

    /** DTLS datagrams received so far. */
    long receivedDatagrams();

    /**
     * SO_RCVBUF of the selected pair's local socket as the JDK reports it after PureRTC requested
     * {@link IceOptions#socketBufferBytes()}: the request capped by the kernel's limit (Linux:
     * {@code net.core.rmem_max}; the JDK halves Linux' doubled figure, so it compares with the request).
     * -1 before a pair is selected, or for a relayed pair (its TURN traffic runs over a host socket that got
     * the same request).
     */
    default int receiveBufferBytes() {
        return -1;
    }

    /** SO_SNDBUF of the selected pair's local socket as the JDK reports it; -1 as for {@link #receiveBufferBytes()}. */
    default int sendBufferBytes() {
        return -1;
    }
}
