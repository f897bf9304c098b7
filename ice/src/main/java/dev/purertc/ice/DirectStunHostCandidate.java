package dev.purertc.ice;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.socket.IceUdpSocketWrapper;

/**
 * A UDP host candidate whose STUN socket is its own {@link DemultiplexingDatagramSocket}, for agents that
 * harvest from no STUN or TURN server over UDP.
 *
 * <p>ice4j's {@link HostCandidate} insists on a {@code MultiplexingDatagramSocket} so that STUN and TURN
 * harvests can each filter their own server's packets out of the host socket. Without such harvests
 * nothing needs that filtering: the {@link DemultiplexingDatagramSocket} already hands ice4j's reader only
 * STUN and takes DTLS aside. Skipping ice4j's wrapper saves, per connection, its two receive queues
 * (about 80 KiB of heap, preallocated) and the two unused UDP sockets its {@code DelegatingDatagramSocket}
 * base classes open on JDK 17 (two fds), and one queue hop per STUN message.
 */
final class DirectStunHostCandidate extends HostCandidate {

    private final DemultiplexingDatagramSocket socket;

    DirectStunHostCandidate(DemultiplexingDatagramSocket socket, Component component) {
        super(new IceUdpSocketWrapper(socket), component, Transport.UDP);
        this.socket = socket;
    }

    /**
     * The candidate's own socket for any server address: no STUN or TURN server shares it (see the class
     * comment), so there is nothing to filter.
     */
    @Override
    public IceSocketWrapper getStunSocket(TransportAddress serverAddress) {
        return getCandidateIceSocketWrapper();
    }

    DemultiplexingDatagramSocket socket() {
        return socket;
    }
}
