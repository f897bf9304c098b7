package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class UnreachablePeerTest {

    @Test
    void checksThatNeverGetAnAnswerEndInFailed() throws Exception {
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        // A silent socket stands in for a peer whose candidate is reachable but never answers.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             IceAgent x = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, a);
             IceAgent peer = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b)) {
            x.setRemoteCredentials(peer.localCredentials());
            x.startGathering();
            AgentPair.feed(x, List.of("candidate:1 1 udp 2122260223 127.0.0.1 " + silent.getLocalPort()
                    + " typ host"));
            x.endOfRemoteCandidates();
            a.awaitState(IceConnectionState.FAILED, Duration.ofSeconds(40));
            assertEquals(List.of(IceConnectionState.CHECKING, IceConnectionState.FAILED), a.states);
        }
    }
}
