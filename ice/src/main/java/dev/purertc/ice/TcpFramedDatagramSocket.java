package dev.purertc.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;

import dev.purertc.ice.tcp.IceTcpConnection;
import dev.purertc.ice.tcp.IceTcpRegistration;

/**
 * One ICE agent's passive TCP candidate as a {@link DatagramSocket}, for the code that sends datagrams
 * (ice4j's STUN stack, {@link SelectedPairTransport}): a datagram to a remote address becomes one RFC 4571
 * frame on the agent's TCP connection from that address. It owns no file descriptor
 * ({@link NoFileDescriptorSocketImpl}) and receives nothing: the listener's selector thread delivers.
 *
 * <p>A datagram for which the connection's write queue is full is dropped silently, as a full UDP send
 * buffer drops it ({@link dev.purertc.ice.tcp.IceTcpListener#MAX_QUEUED_WRITE_BYTES}).
 */
final class TcpFramedDatagramSocket extends DatagramSocketView {

    private final IceTcpRegistration registration;
    private volatile boolean closed;

    TcpFramedDatagramSocket(IceTcpRegistration registration, InetSocketAddress local) {
        super(local);
        this.registration = registration;
    }

    /** @throws SocketException if no open connection from the packet's address reaches this candidate */
    @Override
    public void send(DatagramPacket packet) throws IOException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        InetSocketAddress remote = (InetSocketAddress) packet.getSocketAddress();
        IceTcpConnection connection = registration.connection(local, remote);
        if (connection == null) {
            throw new SocketException("no ICE-TCP connection from " + remote + " to " + local);
        }
        connection.send(packet.getData(), packet.getOffset(), packet.getLength());
    }

    @Override
    public void receive(DatagramPacket packet) throws IOException {
        throw new SocketException("an ICE-TCP candidate is read by its listener, not through receive()");
    }

    @Override
    public boolean isClosed() {
        return closed || registration.isClosed();
    }

    /** Closes this view and the agent's registration (its ufrag and connections); the listener stays open. */
    @Override
    public void close() {
        closed = true;
        registration.close();
    }
}
