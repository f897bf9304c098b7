package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Checks that never find a valid pair end in FAILED within {@link IceOptions#connectTimeout()}, even when
 * ice4j itself would go on checking (the remote list never ends, or holds nothing it can check): the
 * server side of a browser behind a firewall that drops UDP.
 */
class ConnectTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    private static IceOptions options() {
        return AgentPair.loopbackOptions().toBuilder().connectTimeout(TIMEOUT).build();
    }

    @Test
    void theDefaultIsThirtySeconds() {
        assertEquals(Duration.ofSeconds(30), IceOptions.defaults().connectTimeout());
        assertEquals(Duration.ofSeconds(5), IceOptions.defaults().disconnectedTimeout());
        assertEquals(Duration.ofSeconds(30), IceOptions.defaults().consentTimeout());
        assertThrows(IllegalArgumentException.class,
                () -> IceOptions.builder().connectTimeout(Duration.ofMillis(50)).build());
    }

    @Test
    void checksToACandidateThatNeverAnswersFailWithinTheTimeout() throws Exception {
        AgentPair.Side a = new AgentPair.Side();
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             IceAgent x = IceAgent.create(options(), IceRole.CONTROLLED, a);
             IceAgent peer = IceAgent.create(options(), IceRole.CONTROLLING, new AgentPair.Side())) {
            x.startGathering();
            // No end-of-candidates: the peer could still trickle more, so ice4j alone keeps waiting.
            AgentPair.feed(x, List.of("candidate:1 1 udp 2122260223 127.0.0.1 " + silent.getLocalPort() + " typ host"));
            long start = System.nanoTime();
            x.setRemoteCredentials(peer.localCredentials());   // the checks start here
            a.awaitState(IceConnectionState.FAILED, Duration.ofSeconds(10));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis <= TIMEOUT.toMillis() + 250, "FAILED after " + tookMillis + " ms");
            assertTrue(tookMillis >= TIMEOUT.toMillis() - new IceTimeouts(options()).periodMillis() - 50,
                    "FAILED already after " + tookMillis + " ms");
            assertEquals(List.of(IceConnectionState.CHECKING, IceConnectionState.FAILED), a.states);
            IOException refused = assertThrows(IOException.class, () -> x.transport().send(new byte[] {23}, 0, 1));
            assertTrue(refused.getMessage().contains("no working candidate pair"), refused.getMessage());
        }
    }

    @Test
    void aPeerWhoseOnlyCandidatesAreMdnsNamesFailsWithinTheTimeout() throws Exception {
        AgentPair.Side a = new AgentPair.Side();
        try (IceAgent x = IceAgent.create(options(), IceRole.CONTROLLED, a);
             IceAgent peer = IceAgent.create(options(), IceRole.CONTROLLING, new AgentPair.Side())) {
            x.startGathering();
            assertEquals(List.of(IceAgent.RemoteCandidateOutcome.LEFT_TO_PEER_REFLEXIVE), AgentPair.feed(x,
                    List.of("candidate:1 1 udp 2122260223 1f4712db-ea17-4bcf-a596-105139dfd8bf.local 54321 typ host")));
            x.setRemoteCredentials(peer.localCredentials());
            a.awaitState(IceConnectionState.FAILED, TIMEOUT.plusSeconds(2));
        }
    }

    @Test
    void aPairThatAnswersAfterTheTimeoutDoesNotBringTheAgentBack() throws Exception {
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        IceOptions patient = AgentPair.loopbackOptions();
        try (PausableUdpRelay relay = new PausableUdpRelay();
             IceAgent x = IceAgent.create(options(), IceRole.CONTROLLING, a);
             IceAgent y = IceAgent.create(patient, IceRole.CONTROLLED, b)) {
            relay.pause(true);
            x.setRemoteCredentials(y.localCredentials());
            y.setRemoteCredentials(x.localCredentials());
            x.startGathering();
            y.startGathering();
            relay.connect(address(a.localCandidates.get(0)), address(b.localCandidates.get(0)));
            x.addRemoteCandidate("candidate:1 1 udp 2122260223 127.0.0.1 " + relay.addressForA().getPort() + " typ host");
            y.addRemoteCandidate("candidate:1 1 udp 2122260223 127.0.0.1 " + relay.addressForB().getPort() + " typ host");
            a.awaitState(IceConnectionState.FAILED, TIMEOUT.plusSeconds(2));
            relay.pause(false);   // the path opens while ice4j still retransmits its checks
            Thread.sleep(3000);
            assertEquals(List.of(IceConnectionState.CHECKING, IceConnectionState.FAILED), a.states);
            assertEquals(IceConnectionState.FAILED, x.state());
        }
    }

    private static InetSocketAddress address(String hostCandidate) {
        String[] f = hostCandidate.split(" ");
        return new InetSocketAddress(f[4], Integer.parseInt(f[5]));
    }
}
