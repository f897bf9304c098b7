package dev.purertc.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * A host candidate's UDP socket that splits inbound datagrams by first byte (RFC 7983) inside
 * {@link #receive}: STUN is returned to the caller (ice4j's reader thread), DTLS is handed to the
 * {@link InboundDatagramSink} without leaving that thread, and everything else is dropped and counted.
 * So one reader thread per socket, ice4j's, serves both STUN and DTLS.
 */
final class DemultiplexingDatagramSocket extends DatagramSocket {

    /** Receives the DTLS datagrams of one or more sockets. */
    interface InboundDatagramSink {
        void onDtls(DemultiplexingDatagramSocket socket, byte[] data, int offset, int length,
                    InetSocketAddress source);

        void onDropped(DemultiplexingDatagramSocket socket);
    }

    private final InboundDatagramSink sink;

    DemultiplexingDatagramSocket(SocketAddress bindAddress, InboundDatagramSink sink) throws SocketException {
        super(bindAddress);
        this.sink = sink;
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
            switch (Rfc7983.classify(buffer, offset, length)) {
                case STUN:
                    return;
                case DTLS:
                    sink.onDtls(this, buffer, offset, length, (InetSocketAddress) packet.getSocketAddress());
                    break;
                default:
                    sink.onDropped(this);
                    break;
            }
        }
    }
}
