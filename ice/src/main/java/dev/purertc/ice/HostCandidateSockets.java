package dev.purertc.ice;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;

import org.ice4j.ice.harvest.CandidateHarvester;

/**
 * A host candidate harvester as {@link IceAgent} uses it: it gathers the host candidates and knows the
 * socket each one sends through. Two kinds: {@link LoopbackCapableHostHarvester} (a socket and a port per
 * candidate) and {@link UdpMuxHarvester} (the factory's shared {@link dev.purertc.ice.mux.UdpMux} port).
 */
interface HostCandidateSockets extends CandidateHarvester {

    /** The socket bound to {@code local}, or {@code null} if this harvester has none there. */
    DatagramSocket socketFor(InetSocketAddress local);

    /** Sockets (or mux registrations) held and not yet released by {@link #closeSockets()}. */
    int socketCount();

    /** Releases everything the harvester opened or registered; idempotent. */
    void closeSockets();

    /**
     * Lets {@code interceptor} see each STUN message that reaches this harvester's candidates from a routed
     * address, before ice4j does. Returns false when ice4j reads this harvester's sockets itself, so nothing
     * can be seen first (per-connection sockets); the UDP mux and the shared reader return true.
     */
    default boolean interceptStun(StunInterceptor interceptor) {
        return false;
    }

    /** Sees a STUN message before ice4j; called on one thread at a time. */
    @FunctionalInterface
    interface StunInterceptor {
        /** True if the message was consumed (ice4j does not see it); {@code message} is the caller's copy. */
        boolean consume(byte[] message, InetSocketAddress local, InetSocketAddress remote);
    }

    /**
     * The socket of {@code sockets} bound to {@code local} (same port and address bytes), or {@code null}.
     * The caller holds whatever lock guards {@code sockets}.
     */
    static <S extends DatagramSocket> S boundTo(Iterable<S> sockets, InetSocketAddress local) {
        for (S socket : sockets) {
            InetSocketAddress bound = (InetSocketAddress) socket.getLocalSocketAddress();
            if (bound != null && bound.getPort() == local.getPort()
                    && Arrays.equals(bound.getAddress().getAddress(), local.getAddress().getAddress())) {
                return socket;
            }
        }
        return null;
    }
}
