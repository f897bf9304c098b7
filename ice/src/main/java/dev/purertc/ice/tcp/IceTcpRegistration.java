package dev.purertc.ice.tcp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One ICE agent's local ufrag on an {@link IceTcpListener}: the TCP connections whose first STUN Binding
 * request named it, at most {@link IceTcpListener#MAX_CONNECTIONS_PER_AGENT}.
 *
 * <p>Thread-safe. Closing it unregisters the ufrag and closes its connections; the listener stays open.
 */
public final class IceTcpRegistration implements AutoCloseable {

    /** What the agent is given. Both methods run on the listener's selector thread and must not block. */
    public interface Receiver {
        /**
         * One RFC 4571 frame from {@code connection}; {@code data} is reused after the call returns. The first
         * frame of a connection is the STUN Binding request that named this registration's ufrag.
         */
        void onFrame(IceTcpConnection connection, byte[] data, int offset, int length);

        /** {@code connection} closed (by the peer, a limit, or this side). */
        void onClosed(IceTcpConnection connection);
    }

    private final IceTcpListener listener;
    private final String localUfrag;
    private final Receiver receiver;
    /** Guarded by itself; at most {@link IceTcpListener#MAX_CONNECTIONS_PER_AGENT}. */
    private final List<IceTcpConnection> connections = new ArrayList<>();
    private volatile boolean closed;

    IceTcpRegistration(IceTcpListener listener, String localUfrag, Receiver receiver) {
        this.listener = listener;
        this.localUfrag = localUfrag;
        this.receiver = receiver;
    }

    public String localUfrag() {
        return localUfrag;
    }

    Receiver receiver() {
        return receiver;
    }

    /** Adds {@code connection}, or returns false when closed or at the per-agent limit. */
    boolean attach(IceTcpConnection connection) {
        synchronized (connections) {
            if (closed || connections.size() >= IceTcpListener.MAX_CONNECTIONS_PER_AGENT) {
                return false;
            }
            connections.add(connection);
            return true;
        }
    }

    void detach(IceTcpConnection connection) {
        synchronized (connections) {
            connections.remove(connection);
        }
    }

    /** The open connection from {@code remote} arriving at {@code local}, or {@code null}. */
    public IceTcpConnection connection(InetSocketAddress local, InetSocketAddress remote) {
        synchronized (connections) {
            for (IceTcpConnection c : connections) {
                if (c.remote().equals(remote) && c.local().equals(local) && !c.isClosed()) {
                    return c;
                }
            }
        }
        return null;
    }

    /** Connections attached and not closed. */
    public int connectionCount() {
        synchronized (connections) {
            return connections.size();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Unregisters the ufrag and closes every connection of this registration; idempotent. */
    @Override
    public void close() {
        List<IceTcpConnection> toClose;
        synchronized (connections) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = List.copyOf(connections);
        }
        listener.unregister(this);
        toClose.forEach(IceTcpConnection::close);
    }
}
