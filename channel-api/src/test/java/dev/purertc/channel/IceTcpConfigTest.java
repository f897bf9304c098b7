package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.purertc.ice.tcp.IceTcpListener;

/**
 * {@link RtcConfiguration.Builder#iceTcp(int)}: the factory opens one listener for its connections, their
 * offers carry a passive TCP candidate on its port, and the factory closes it.
 */
class IceTcpConfigTest {

    @Test
    void connectionsShareTheFactorysListenerAndOfferAPassiveTcpCandidateOnIt() throws Exception {
        IceTcpListener listener;
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            RtcConfiguration config = Peer.loopback().udpMux(0).iceTcp(0).build();
            List<String> first = offerCandidates(factory, config);
            List<String> second = offerCandidates(factory, config);
            assertEquals(1, factory.iceTcpListeners().size());
            listener = factory.iceTcpListeners().get(0);
            for (List<String> lines : List.of(first, second)) {
                assertEquals(2, lines.size(), lines.toString());
                assertTrue(lines.get(0).matches("candidate:\\S+ 1 udp \\d+ 127\\.0\\.0\\.1 "
                        + factory.udpMuxes().get(0).port() + " typ host ufrag \\S+"), lines.get(0));
                assertTrue(lines.get(1).matches("candidate:\\S+ 1 tcp 1520435199 127\\.0\\.0\\.1 " + listener.port()
                        + " typ host tcptype passive ufrag \\S+"), lines.get(1));
            }
            assertEquals(2, listener.registrationCount());
        }
        assertTrue(listener.isClosed());
        assertEquals(0, listener.registrationCount());
    }

    private static List<String> offerCandidates(PeerConnectionFactory factory, RtcConfiguration config)
            throws Exception {
        Peer p = Signaling.create(factory, config);
        p.pc.createDataChannel("x", RTCDataChannelInit.defaults());
        p.pc.setLocalDescription(p.pc.createOffer().get(10, TimeUnit.SECONDS)).get(10, TimeUnit.SECONDS);
        assertTrue(p.gatheringComplete.await(10, TimeUnit.SECONDS));
        return p.candidates.stream().map(RTCIceCandidate::candidate).toList();
    }
}
