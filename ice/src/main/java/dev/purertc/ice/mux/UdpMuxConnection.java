package dev.purertc.ice.mux;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One ICE agent's share of a {@link UdpMux}: its local ufrag, the remote addresses routed to it, and a
 * way to send from the mux's port. Created by {@link UdpMux#register}; {@link #close()} removes the ufrag
 * and every route, so later datagrams for them are dropped by the mux.
 *
 * <p>Threads: {@link Receiver#onDatagram} is called on the mux's reader thread of the local address the
 * datagram arrived on; the byte array is the reader's and is reused after the call returns, so a receiver
 * that keeps the bytes copies them. {@link #send}, {@link #addRoute} and {@link #close} may be called from
 * any thread.
 */
public final class UdpMuxConnection implements AutoCloseable {

    /** Receives the datagrams the mux routed to one connection. */
    @FunctionalInterface
    public interface Receiver {
        /**
         * @param routed {@code true} if {@code remote} is one of this connection's routes; {@code false} for a
         *               STUN Binding request from an unrouted address that named this connection's ufrag,
         *               which the receiver must authenticate (MESSAGE-INTEGRITY) before it adds a route
         */
        void onDatagram(UdpMuxConnection connection, InetSocketAddress local, InetSocketAddress remote,
                        byte[] data, int offset, int length, boolean routed);
    }

    private final UdpMux mux;
    private final String localUfrag;
    private final Receiver receiver;
    /** Routes this connection holds, as "local|remote" pairs; the mux's tables are the authority. */
    private final Set<UdpMux.RouteKey> routes = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    UdpMuxConnection(UdpMux mux, String localUfrag, Receiver receiver) {
        this.mux = mux;
        this.localUfrag = localUfrag;
        this.receiver = receiver;
    }

    /** The ufrag the mux routes first STUN requests by. */
    public String localUfrag() {
        return localUfrag;
    }

    /** The mux this connection belongs to. */
    public UdpMux mux() {
        return mux;
    }

    /**
     * Sends one datagram from the mux's socket bound to {@code local} (one of {@link UdpMux#localAddresses()}).
     * Blocks while the socket's send buffer is full, as a per-connection socket would.
     *
     * @throws IOException if the connection or mux is closed, {@code local} is not the mux's, or the send fails
     */
    public void send(InetSocketAddress local, byte[] data, int offset, int length, InetSocketAddress remote)
            throws IOException {
        if (closed) {
            throw new IOException("UDP mux connection " + localUfrag + " is closed");
        }
        mux.send(local, data, offset, length, remote);
    }

    /**
     * Routes datagrams from {@code remote} arriving on {@code local} to this connection from now on. Call it
     * only for an address ICE has authenticated (a check that passed MESSAGE-INTEGRITY) or chosen itself (a
     * connectivity check this agent sends). Another connection's route to the same address is taken over
     * (the latest authenticated owner of an address wins, as in pion's UDPMux). No-op once closed.
     */
    public void addRoute(InetSocketAddress local, InetSocketAddress remote) {
        if (!closed) {
            mux.addRoute(this, local, remote);
        }
    }

    /** Whether datagrams from {@code remote} on {@code local} are routed here. */
    public boolean hasRoute(InetSocketAddress local, InetSocketAddress remote) {
        return routes.contains(new UdpMux.RouteKey(local, remote));
    }

    /** Number of routes this connection holds. */
    public int routeCount() {
        return routes.size();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Removes the ufrag and every route from the mux; idempotent. The mux itself stays open. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        mux.unregister(this);
    }

    Set<UdpMux.RouteKey> routes() {
        return routes;
    }

    void deliver(InetSocketAddress local, InetSocketAddress remote, byte[] data, int offset, int length,
                 boolean routed) {
        if (!closed) {
            receiver.onDatagram(this, local, remote, data, offset, length, routed);
        }
    }
}
