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
