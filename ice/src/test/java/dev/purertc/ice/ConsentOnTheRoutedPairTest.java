package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import org.ice4j.ice.IceProcessingState;
import org.junit.jupiter.api.Test;

import dev.purertc.ice.tcp.IceTcpListener;

/**
 * Issue 11's consent failure: a controlled agent routes data on the first valid pair, and its peer never
 * nominates, so ice4j never completes, never sends a consent check and never credits one. The agent checks
 * consent on that pair itself ({@link RoutedPairConsent}): it stays CONNECTED while the peer answers, and goes
 * DISCONNECTED then FAILED once the peer stops answering.
 */
class ConsentOnTheRoutedPairTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aPairNeverNominatedKeepsConsentWhileThePeerAnswersAndLosesItWhenItStops() throws Exception {
        try (IceTcpListener listener = IceTcpListener.open(List.of(LOOPBACK), 0)) {
            AgentPair.Side server = new AgentPair.Side();
            IceOptions options = AgentPair.loopbackOptions().toBuilder().iceTcp(listener)
                    .consentInterval(Duration.ofMillis(500)).disconnectedTimeout(Duration.ofMillis(1500))
                    .consentTimeout(Duration.ofSeconds(4)).build();
            server.agent = IceAgent.create(options, IceRole.CONTROLLED, server);
            try (ActiveTcpIcePeer peer = new ActiveTcpIcePeer(new InetSocketAddress(LOOPBACK, listener.port()),
                    server.agent.localCredentials())) {
                peer.nominate = false;
                server.agent.startGathering();
                server.agent.setRemoteCredentials(peer.credentials);
                peer.sendCheck();
                peer.completeChecks();
                server.awaitState(IceConnectionState.CONNECTED);
                // The situation: data on a valid pair that ice4j never selects, so it sends no consent itself.
                assertEquals(IceProcessingState.RUNNING, server.agent.currentIce4jAgent().getState());
                assertNull(server.agent.currentIce4jAgent().getStream("data").getComponent(1).getSelectedPair());

                int answeredBefore = peer.requestsAnswered;
                long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();   // past the 4 s consent timeout
                assertNull(peer.pump(() -> System.nanoTime() > until));
                assertTrue(peer.requestsAnswered - answeredBefore >= 6,
                        "consent checks answered in 5 s: " + (peer.requestsAnswered - answeredBefore));
                assertFalse(server.states.contains(IceConnectionState.DISCONNECTED), server.states.toString());
                assertEquals(IceConnectionState.CONNECTED, server.agent.state());

                // The peer goes silent (connection open, nothing answered): consent runs out.
                server.awaitState(IceConnectionState.DISCONNECTED, Duration.ofSeconds(5));
                server.awaitState(IceConnectionState.FAILED, Duration.ofSeconds(8));
            } finally {
                server.agent.close();
            }
        }
    }
}
