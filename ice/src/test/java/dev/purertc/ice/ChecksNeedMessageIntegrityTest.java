package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import dev.purertc.sdp.IceCandidate;

import org.junit.jupiter.api.Test;

/**
 * RFC 8445 §7.3 / RFC 5389 §10.1.2: a connectivity check must carry MESSAGE-INTEGRITY keyed with the
 * password from the description. ice4j answers a request without it with success by default and learns
 * the sender as a peer-reflexive candidate: anyone who learnt the ufrag could make an agent check (and
 * then send to) an address of their choosing. PureRTC turns that off, for agents with their own sockets
 * as for agents on a UDP mux.
 */
class ChecksNeedMessageIntegrityTest {

    @Test
    void aCheckWithoutMessageIntegrityIsRefusedAndTeachesTheAgentNoAddress() throws Exception {
        AgentPair.Side server = new AgentPair.Side();
        try (IceAgent agent = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, server);
             DatagramSocket intruder = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            intruder.setSoTimeout(10_000);
            agent.setRemoteCredentials(new IceCredentials("peer", "peerpasswordpeerpassword"));
            agent.startGathering();
            assertEquals(true, server.endOfCandidates.await(30, java.util.concurrent.TimeUnit.SECONDS), "gathering");
            IceCandidate host = IceCandidate.parse(server.localCandidates.get(0));
            InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(host.address()), host.port());

            StunProbe.send(intruder, target, StunProbe.bindingRequest(agent.localCredentials().ufrag() + ":peer", false));
            assertEquals(0x0111, StunProbe.receiveType(intruder), "a Binding error response (401), not success");
            assertEquals(0, agent.currentIce4jAgent().getStreams().get(0).getComponents().get(0)
                    .getRemoteCandidateCount(), "no peer-reflexive candidate learned");
        }
    }
}
