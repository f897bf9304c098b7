package dev.purertc.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;

import dev.purertc.ice.mux.StunUfrag;
import dev.purertc.ice.mux.UdpMuxConnection;

/**
 * One ICE agent's view of a {@link dev.purertc.ice.mux.UdpMux} local address as a {@link DatagramSocket},
 * for the code that sends through sockets (ice4j's STUN stack, {@link SelectedPairTransport}). It owns no
 * file descriptor: the {@code DatagramSocketImpl} under it does nothing, every method that matters is
 * overridden, and sends go out through the mux's one socket. Nothing receives through it: the mux's
 * reader delivers.
 *
 * <p>Sending a STUN request to an address routes that address to this connection first, so the answer to
 * a connectivity check this agent chose to send (RFC 8445 §7.2.4) reaches it; answers the agent sends
 * create no route (ice4j also answers unauthenticated requests with 401, and an error response must not
 * open a path in).
 */
final class MuxedDatagramSocket extends DatagramSocketView {

    private final UdpMuxConnection connection;
    private volatile boolean closed;

    MuxedDatagramSocket(UdpMuxConnection connection, InetSocketAddress local) {
        super(local);
        this.connection = connection;
    }

    UdpMuxConnection connection() {
        return connection;
    }

    @Override
    public void send(DatagramPacket packet) throws IOException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        InetSocketAddress remote = (InetSocketAddress) packet.getSocketAddress();
        byte[] data = packet.getData();
        if (StunUfrag.isRequest(data, packet.getOffset(), packet.getLength())) {
            connection.addRoute(local, remote);
        }
        connection.send(local, data, packet.getOffset(), packet.getLength(), remote);
    }

    @Override
    public void receive(DatagramPacket packet) throws IOException {
        throw new SocketException("a muxed socket is read by its UdpMux, not through receive()");
    }

    @Override
    public boolean isClosed() {
        return closed || connection.isClosed();
    }

    /** Closes this view and the agent's mux connection (its ufrag and routes); the mux stays open. */
    @Override
    public void close() {
        closed = true;
        connection.close();
    }
}
