package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.ice4j.ice.Agent;
import org.junit.jupiter.api.Test;

import dev.purertc.ice.mux.SharedUdpReader;
import dev.purertc.ice.mux.UdpMux;
import dev.purertc.sdp.IceCandidate;

/**
 * Consent checks on the selected pair answered by {@link DirectConsentAnswer} between two agents as
 * {@code scale_pairs} runs them: a server on a {@link UdpMux} port, a client on a {@link SharedUdpReader}
 * socket. Both answer the other's consent checks directly and send their own without ice4j
 * ({@link DirectConsentCheck}), and each keeps getting verified consent responses and stays connected.
 */
class DirectConsentAnswerAgentTest {

    private static final Duration CONSENT = Duration.ofMillis(250);

    @Test
    void consentChecksOnTheSelectedPairAreAnsweredDirectlyAndKeepBothSidesConnected() throws Exception {
        try (UdpMux mux = UdpMux.open(List.of(InetAddress.getLoopbackAddress()), 0, 0);
             SharedUdpReader reader = SharedUdpReader.open()) {
            IceOptions base = AgentPair.loopbackOptions().toBuilder().consentInterval(CONSENT).build();
            AgentPair.Side server = new AgentPair.Side();
            AgentPair.Side client = new AgentPair.Side();
            server.agent = IceAgent.create(base.toBuilder().udpMux(mux).build(), IceRole.CONTROLLED, server);
            client.agent = IceAgent.create(base.toBuilder().sharedUdpReader(reader).build(), IceRole.CONTROLLING,
                    client);
            try {
                server.forward = new IceAgentListener() {
                    @Override
                    public void onLocalCandidate(IceCandidate line) {
                        client.agent.addRemoteCandidate(line);
                    }
                };
                client.forward = new IceAgentListener() {
                    @Override
                    public void onLocalCandidate(IceCandidate line) {
                        server.agent.addRemoteCandidate(line);
                    }
                };
                server.agent.setRemoteCredentials(client.agent.localCredentials());
                client.agent.setRemoteCredentials(server.agent.localCredentials());
                server.agent.startGathering();
                client.agent.startGathering();
                server.awaitState(IceConnectionState.CONNECTED);
                client.awaitState(IceConnectionState.CONNECTED);

                UdpMuxHarvester serverSockets = (UdpMuxHarvester) server.agent.hostSockets();
                SharedReaderHostHarvester clientSockets = (SharedReaderHostHarvester) client.agent.hostSockets();
                // The client's checks carry USE-CANDIDATE once nominated: the server (controlled, pair
                // nominated) answers them directly too.
                assertTrue(AgentPair.eventually(serverSockets, s -> s.consentAnsweredDirectly() >= 3,
                        AgentPair.WAIT), "server answered " + serverSockets.consentAnsweredDirectly() + " directly");
                assertTrue(AgentPair.eventually(clientSockets, s -> s.consentAnsweredDirectly() >= 3,
                        AgentPair.WAIT), "client answered " + clientSockets.consentAnsweredDirectly() + " directly");
                // Each side's own checks are answered by the other's direct answers: consent keeps advancing.
                long serverConsent = server.agent.lastConsentMillis();
                long clientConsent = client.agent.lastConsentMillis();
                long serverAnswered = serverSockets.consentAnsweredDirectly();
                long clientAnswered = clientSockets.consentAnsweredDirectly();
                assertTrue(AgentPair.eventually(server.agent, a -> a.lastConsentMillis() > serverConsent,
                        AgentPair.WAIT), "server consent did not advance");
                assertTrue(AgentPair.eventually(client.agent, a -> a.lastConsentMillis() > clientConsent,
                        AgentPair.WAIT), "client consent did not advance");
                assertTrue(AgentPair.eventually(clientSockets, s -> s.consentAnsweredDirectly() > clientAnswered,
                        AgentPair.WAIT));
                assertTrue(AgentPair.eventually(serverSockets, s -> s.consentAnsweredDirectly() > serverAnswered,
                        AgentPair.WAIT));
                // Both sides' checks are DirectConsentCheck's, answered and verified without ice4j; ice4j's
                // own keep-alive never ran (org.ice4j.NO_KEEP_ALIVES).
                for (AgentPair.Side side : List.of(server, client)) {
                    assertTrue(AgentPair.eventually(side.agent, a -> a.directConsentChecks()[1] >= 3, AgentPair.WAIT),
                            "direct consent checks sent/answered: " + Arrays.toString(side.agent.directConsentChecks()));
                    assertEquals(0, ice4jKeepAlivesSent(side.agent.currentIce4jAgent()));
                }
                assertEquals(List.of(IceConnectionState.CHECKING, IceConnectionState.CONNECTED),
                        server.states.stream().filter(s -> s != IceConnectionState.NEW).toList());
                assertEquals(List.of(IceConnectionState.CHECKING, IceConnectionState.CONNECTED),
                        client.states.stream().filter(s -> s != IceConnectionState.NEW).toList());
            } finally {
                server.agent.close();
                client.agent.close();
            }
        }
    }

    private static int ice4jKeepAlivesSent(Agent agent) throws ReflectiveOperationException {
        Field runnerField = Agent.class.getDeclaredField("stunKeepAliveRunner");
        runnerField.setAccessible(true);
        Object runner = runnerField.get(agent);
        Field sent = runner.getClass().getDeclaredField("keepAliveSent");
        sent.setAccessible(true);
        return sent.getInt(runner);
    }
}
