package dev.purertc.ice;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A {@link DatagramSocket} as ice4j sees a candidate's socket, without a file descriptor of its own:
 * the shared UDP port's connection ({@link MuxedDatagramSocket}), an ICE-TCP registration
 * ({@link TcpFramedDatagramSocket}) or a TURN server's stream ({@link TurnStreamDatagramSocket}). It is
 * always bound, to the fixed local address it was made with; subclasses send, and say when they are closed.
 */
abstract class DatagramSocketView extends DatagramSocket {

    /** The address ice4j's candidate has: the shared port's, the listener's, or the stream's own. */
    protected final InetSocketAddress local;

    DatagramSocketView(InetSocketAddress local) {
        super(new NoFileDescriptorSocketImpl());
        this.local = local;
    }

    @Override
    public InetAddress getLocalAddress() {
        return local.getAddress();
    }

    @Override
    public int getLocalPort() {
        return local.getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return local;
    }

    @Override
    public boolean isBound() {
        return true;
    }

    /** What ice4j sizes its receive buffers by: one datagram of a 1,500-byte path. */
    @Override
    public int getReceiveBufferSize() {
        return 1500;
    }
}
