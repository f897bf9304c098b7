package dev.purertc.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketException;

import dev.purertc.ice.mux.SharedUdpReader;

/**
 * A connection's own UDP socket on a {@link SharedUdpReader}, as ice4j and {@link SelectedPairTransport} see
 * it: sends go out through the reader's channel for this connection, and nothing receives through it (the
 * shared reader delivers). The fd is the channel's; this view holds none.
 */
final class SharedReaderDatagramSocket extends DatagramSocketView {

    private final SharedUdpReader.OwnSocket socket;

    SharedReaderDatagramSocket(SharedUdpReader.OwnSocket socket) {
        super(socket.localAddress());
        this.socket = socket;
    }

    @Override
    public void send(DatagramPacket packet) throws IOException {
        if (socket.isClosed()) {
            throw new SocketException("Socket is closed");
        }
        socket.send(packet.getData(), packet.getOffset(), packet.getLength(),
                (InetSocketAddress) packet.getSocketAddress());
    }

    @Override
    public void receive(DatagramPacket packet) throws IOException {
        throw new SocketException("a socket on the shared reader is read by its SharedUdpReader, not through receive()");
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        socket.close();
    }
}
