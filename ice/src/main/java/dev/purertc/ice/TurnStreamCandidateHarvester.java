package dev.purertc.ice;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.harvest.TurnCandidateHarvest;
import org.ice4j.ice.harvest.TurnCandidateHarvester;
import org.ice4j.message.Response;
import org.ice4j.security.LongTermCredential;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relayed candidate from a TURN server reached over TCP ({@code turn:host?transport=tcp}) or TLS
 * ({@code turns:host}), RFC 8656 §3.1. The allocation itself is ice4j's {@link TurnCandidateHarvester}'s work;
 * this class only gives it a {@link TurnStreamDatagramSocket} as the socket it believes is UDP, so the TURN
 * messages and the peer's relayed data travel over the stream.
 *
 * <p>ice4j starts a TURN harvest for every UDP host candidate of the component; this harvester opens one
 * stream on the first of them and declines the others, so each {@code turn…tcp}/{@code turns} URL costs one
 * connection per agent. The stream's own candidate is not added to the component: only the relayed
 * candidate is announced. No server-reflexive candidate is derived from the server's XOR-MAPPED-ADDRESS,
 * which names the TCP connection's mapping, not a UDP one a peer could send to.
 *
 * <p>Threads, per agent and TURN URL as for TURN over UDP, none shared between agents: ice4j's STUN readers
 * of the stream and of the relayed socket, its allocation refresh thread, the relayed socket's send and
 * ChannelData threads (once data flows), and PureRTC's relay reader: six once connected.
 */
final class TurnStreamCandidateHarvester extends TurnCandidateHarvester {

    private static final Logger LOG = LoggerFactory.getLogger(TurnStreamCandidateHarvester.class);

    /** Reconnections tried when the stream's local port equals a UDP host candidate's (they would share a key). */
    private static final int PORT_CLASH_RETRIES = 3;

    private final IceServerUrl url;
    private final InetSocketAddress server;
    private final TurnTlsTrust trust;
    private final int timeoutMillis;
    private final AtomicBoolean opened = new AtomicBoolean();
    private final List<TurnStreamDatagramSocket> streams = new ArrayList<>();

    /**
     * @param server        {@code url}'s host, resolved, with its port, as a UDP address: ice4j keys its TURN
     *                      client by the server address and matches it with UDP host candidates
     * @param timeoutMillis bound on the TCP connect and on the TLS handshake
     */
    TurnStreamCandidateHarvester(IceServerUrl url, TransportAddress server, LongTermCredential credential,
                                 TurnTlsTrust trust, int timeoutMillis) {
        super(new TransportAddress(server.getAddress(), server.getPort(), Transport.UDP), credential);
        this.url = url;
        this.server = new InetSocketAddress(server.getAddress(), server.getPort());
        this.trust = trust;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Called by ice4j for each UDP host candidate that can reach the server: opens the stream for the first
     * and returns a host candidate on it as the base of the allocation; {@code null} (skip) for the rest or
     * when the server cannot be reached.
     */
    @Override
    protected HostCandidate getHostCandidate(HostCandidate trigger) {
        if (!opened.compareAndSet(false, true)) {
            return null;
        }
        Component component = trigger.getParentComponent();
        try {
            TurnStreamDatagramSocket stream = openAvoidingClash(component);
            HostCandidate base = new HostCandidate(
                    new IceUdpSocketWrapper(new MultiplexingDatagramSocket(stream)), component, Transport.UDP);
            base.getStunStack().addSocket(base.getStunSocket(null));
            LOG.debug("TURN over {} to {} from {}", stream.isTls() ? "TLS" : "TCP", server,
                    stream.getLocalSocketAddress());
            return base;
        } catch (IOException | RuntimeException e) {
            LOG.warn("TURN server {}:{} over {} unreachable: {}", url.host(), url.port(),
                    url.isSecure() ? "TLS" : "TCP", e.toString());
            return null;
        }
    }

    private TurnStreamDatagramSocket openAvoidingClash(Component component) throws IOException {
        for (int attempt = 0; ; attempt++) {
            TurnStreamDatagramSocket stream = TurnStreamDatagramSocket.connect(url, server, trust, timeoutMillis);
            TransportAddress asUdp = new TransportAddress(stream.getLocalAddress(), stream.getLocalPort(),
                    Transport.UDP);
            if (component.findLocalCandidate(asUdp) == null || attempt == PORT_CLASH_RETRIES) {
                synchronized (streams) {
                    streams.add(stream);
                }
                return stream;
            }
            stream.close();
        }
    }

    @Override
    protected TurnCandidateHarvest createHarvest(HostCandidate hostCandidate) {
        return new TurnCandidateHarvest(this, hostCandidate) {
            @Override
            protected void createServerReflexiveCandidate(Response response) {
                // The mapped address is the TCP connection's: no UDP server-reflexive candidate comes of it.
            }
        };
    }

    /** The streams opened, for tests. */
    List<TurnStreamDatagramSocket> streams() {
        synchronized (streams) {
            return List.copyOf(streams);
        }
    }

    /** Closes the streams (after ice4j released the allocation through them). */
    void closeStreams() {
        synchronized (streams) {
            streams.forEach(TurnStreamDatagramSocket::close);
            streams.clear();
        }
    }
}
