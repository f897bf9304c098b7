package dev.purertc.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host candidate's UDP socket that splits inbound datagrams by first byte (RFC 7983) inside
 * {@link #receive}: STUN is returned to the caller (ice4j's reader thread), DTLS is handed to the
 * {@link InboundDatagramSink} without leaving that thread, TURN ChannelData from a configured TURN server
 * goes to ice4j's TURN client, and everything else is dropped and counted.
 * So one reader thread per socket, ice4j's, serves both STUN and DTLS.
 */
final class DemultiplexingDatagramSocket extends DatagramSocket {

    /** Receives the DTLS datagrams of one or more sockets. */
    interface InboundDatagramSink {
        void onDtls(DemultiplexingDatagramSocket socket, byte[] data, int offset, int length,
                    InetSocketAddress source);

        void onDropped(DemultiplexingDatagramSocket socket);
    }

    private static final Logger LOG = LoggerFactory.getLogger(DemultiplexingDatagramSocket.class);

    private final InboundDatagramSink sink;
    private final Set<InetSocketAddress> turnServers;
    private final boolean relayOnly;
    private volatile int grantedReceiveBufferBytes = -1;
    private volatile int grantedSendBufferBytes = -1;

    /**
     * @param turnServers TURN servers this socket allocates from: their ChannelData (RFC 8656 §12.4) is
     *                    passed to ice4j's TURN client; from anyone else it is dropped
     * @param relayOnly   {@code iceTransportPolicy relay}: the socket exchanges datagrams with the TURN
     *                    servers only, so the peer never sees this host address
     */
    DemultiplexingDatagramSocket(SocketAddress bindAddress, InboundDatagramSink sink, Set<InetSocketAddress> turnServers,
                                 boolean relayOnly) throws SocketException {
        super(bindAddress);
        this.sink = sink;
        this.turnServers = Set.copyOf(turnServers);
        this.relayOnly = relayOnly;
    }

    DemultiplexingDatagramSocket(SocketAddress bindAddress, InboundDatagramSink sink) throws SocketException {
        this(bindAddress, sink, Set.of(), false);
    }

    /**
     * Requests {@code bytes} of SO_RCVBUF and SO_SNDBUF (0: keep the kernel's defaults) and records what
     * the kernel granted, as the JDK reports it: Linux caps the request at {@code net.core.rmem_max}/
     * {@code wmem_max} (and doubles it for bookkeeping, which the JDK halves again when reading it back).
     */
    void requestBufferSizes(int bytes) {
        if (bytes > 0) {
            try {
                setReceiveBufferSize(bytes);
                setSendBufferSize(bytes);
            } catch (SocketException e) {
                LOG.debug("cannot set socket buffers of {} to {} bytes: {}", getLocalSocketAddress(), bytes,
                        e.toString());
            }
        }
        try {
            grantedReceiveBufferBytes = getReceiveBufferSize();
            grantedSendBufferBytes = getSendBufferSize();
        } catch (SocketException e) {
            LOG.debug("cannot read socket buffer sizes of {}: {}", getLocalSocketAddress(), e.toString());
        }
        LOG.debug("{}: requested SO_RCVBUF/SO_SNDBUF {} bytes, kernel granted {}/{}", getLocalSocketAddress(),
                bytes == 0 ? "(kernel default)" : bytes, grantedReceiveBufferBytes, grantedSendBufferBytes);
    }

    /** SO_RCVBUF as the kernel reported it after {@link #requestBufferSizes}, or -1 before. */
    int grantedReceiveBufferBytes() {
        return grantedReceiveBufferBytes;
    }

    /** SO_SNDBUF as the kernel reported it after {@link #requestBufferSizes}, or -1 before. */
    int grantedSendBufferBytes() {
        return grantedSendBufferBytes;
    }

    @Override
    public void send(DatagramPacket packet) throws IOException {
        if (relayOnly && !turnServers.contains(packet.getSocketAddress())) {
            // iceTransportPolicy relay: checks from this host candidate to the peer are swallowed; they time
            // out and only the relayed pairs succeed.
            sink.onDropped(this);
            return;
        }
        super.send(packet);
    }

    @Override
    public void receive(DatagramPacket packet) throws IOException {
        byte[] buffer = packet.getData();
        int offset = packet.getOffset();
        int capacity = packet.getLength();
        while (true) {
            packet.setData(buffer, offset, capacity);
            super.receive(packet);
            int length = packet.getLength();
            InetSocketAddress source = (InetSocketAddress) packet.getSocketAddress();
            boolean fromTurnServer = turnServers.contains(source);
            switch (Rfc7983.classify(buffer, offset, length)) {
                case STUN:
                    if (!relayOnly || fromTurnServer) {
                        return;
                    }
                    sink.onDropped(this);
                    break;
                case TURN_CHANNEL:
                    if (fromTurnServer) {
                        return;
                    }
                    sink.onDropped(this);
                    break;
                case DTLS:
                    if (!relayOnly) {
                        sink.onDtls(this, buffer, offset, length, source);
                    } else {
                        sink.onDropped(this);
                    }
                    break;
                default:
                    sink.onDropped(this);
                    break;
            }
        }
    }
}
