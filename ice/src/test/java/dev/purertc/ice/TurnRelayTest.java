package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** TURN through coturn on 127.0.0.1 (skipped where Debian's coturn is not installed). */
class TurnRelayTest {

    @org.junit.jupiter.api.BeforeEach
    void coturnInstalled() {
        assumeTrue(LocalTurnServer.installed(), "coturn not installed (apt-get install coturn)");
    }

    /** Loopback options with {@code turn} as the one ICE server, under {@code policy}. */
    private static IceOptions throughTurn(LocalTurnServer turn, IceTransportPolicy policy) {
        return AgentPair.loopbackOptions().toBuilder()
                .iceServer(IceServer.turn(LocalTurnServer.USER, LocalTurnServer.PASSWORD, turn.url()))
                .transportPolicy(policy)
                .build();
    }

    private static void exchangeCredentials(IceAgent x, IceAgent y) {
        x.setRemoteCredentials(y.localCredentials());
        y.setRemoteCredentials(x.localCredentials());
    }

    @Test
    void relayOnlyAgentConnectsThroughTurnAndThePeerNeverSeesItsHostAddress() throws Exception {
        try (LocalTurnServer turn = new LocalTurnServer()) {
            IceOptions relayOnly = throughTurn(turn, IceTransportPolicy.RELAY);
            AgentPair.Side a = new AgentPair.Side();
            AgentPair.Side b = new AgentPair.Side();
            try (IceAgent x = IceAgent.create(relayOnly, IceRole.CONTROLLING, a);
                 IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b)) {
                exchangeCredentials(x, y);
                x.startGathering();
                y.startGathering();
                assertTrue(a.endOfCandidates.await(30, TimeUnit.SECONDS));
                assertEquals(1, a.localCandidates.size(), a.localCandidates.toString());
                String relay = a.localCandidates.get(0);
                String[] f = relay.split(" ");
                assertEquals("relay", f[7], relay);
                int relayPort = Integer.parseInt(f[5]);
                assertTrue(relayPort >= turn.relayMin && relayPort <= turn.relayMax, relay);

                AgentPair.feed(y, a.localCandidates);
                AgentPair.feed(x, b.localCandidates);
                a.awaitState(IceConnectionState.CONNECTED);
                b.awaitState(IceConnectionState.CONNECTED);
                assertEquals(relayPort, x.selectedPair().local().getPort());
                assertEquals(relayPort, y.selectedPair().remote().getPort());

                BlockingQueue<byte[]> atX = new LinkedBlockingQueue<>();
                BlockingQueue<byte[]> atY = new LinkedBlockingQueue<>();
                x.transport().setReceiver((d, o, l, s) -> atX.add(java.util.Arrays.copyOfRange(d, o, o + l)));
                y.transport().setReceiver((d, o, l, s) -> atY.add(java.util.Arrays.copyOfRange(d, o, o + l)));
                byte[] hello = {22, (byte) 0xFE, (byte) 0xFD, 1, 2, 3};
                byte[] reply = {22, (byte) 0xFE, (byte) 0xFD, 4, 5};
                x.transport().send(hello, 0, hello.length);
                assertArrayEquals(hello, atY.poll(20, TimeUnit.SECONDS));
                y.transport().send(reply, 0, reply.length);
                assertArrayEquals(reply, atX.poll(20, TimeUnit.SECONDS));
                // The host-to-host check was swallowed by the relay-only socket, never sent to the peer.
                assertTrue(x.transport().droppedDatagrams() > 0);
            }
            assertTrue(AgentPair.eventually("purertc-ice-relay-reader", prefix -> Thread.getAllStackTraces().keySet()
                    .stream().noneMatch(t -> t.getName().startsWith(prefix)), AgentPair.WAIT),
                    "relay reader thread survived close");
        }
    }

    /**
     * The peer's candidates are all known before the relay-only agent has its TURN allocation. ice4j pairs
     * a remote candidate only with the local candidates present when it is added, so the agent must wait
     * for its relayed candidate before feeding ice4j: fed at once, only the (refused) host pairs existed
     * and ICE failed, which is how channel-api's RelayTest failed now and then.
     */
    @Test
    void peerCandidatesKnownBeforeTheRelayedCandidateStillGetRelayedPairs() throws Exception {
        try (LocalTurnServer turn = new LocalTurnServer()) {
            IceOptions relayOnly = throughTurn(turn, IceTransportPolicy.RELAY);
            AgentPair.Side a = new AgentPair.Side();
            AgentPair.Side b = new AgentPair.Side();
            try (IceAgent x = IceAgent.create(relayOnly, IceRole.CONTROLLING, a);
                 IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b)) {
                exchangeCredentials(x, y);
                y.startGathering();
                assertTrue(b.endOfCandidates.await(30, TimeUnit.SECONDS));
                // Before x gathers at all: the candidates wait in x, and x's relayed candidate comes later.
                assertEquals(List.of(IceAgent.RemoteCandidateOutcome.BUFFERED), AgentPair.feed(x, b.localCandidates));
                x.startGathering();
                assertTrue(a.endOfCandidates.await(30, TimeUnit.SECONDS));
                AgentPair.feed(y, a.localCandidates);
                a.awaitState(IceConnectionState.CONNECTED);
                b.awaitState(IceConnectionState.CONNECTED);
                int relayPort = Integer.parseInt(a.localCandidates.get(0).split(" ")[5]);
                assertEquals(relayPort, x.selectedPair().local().getPort());
                assertEquals(relayPort, y.selectedPair().remote().getPort());
            }
        }
    }

    /**
     * Policy all with a TURN server: the peer's candidates are known before the TURN allocation ends, so
     * checks start on the host pairs and the relayed candidate comes later. ice4j would never pair it;
     * IceAgent adds its pairs to the running check list.
     */
    @Test
    void aRelayedCandidateGatheredAfterChecksStartedIsPaired() throws Exception {
        try (LocalTurnServer turn = new LocalTurnServer()) {
            IceOptions withTurn = throughTurn(turn, IceTransportPolicy.ALL);
            AgentPair.Side a = new AgentPair.Side();
            AgentPair.Side b = new AgentPair.Side();
            try (IceAgent x = IceAgent.create(withTurn, IceRole.CONTROLLED, a);
                 IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, b)) {
                exchangeCredentials(x, y);
                y.startGathering();
                assertTrue(b.endOfCandidates.await(30, TimeUnit.SECONDS));
                AgentPair.feed(x, b.localCandidates);
                x.startGathering(); // checks start now, on the host pairs; the TURN allocation is under way
                assertTrue(a.endOfCandidates.await(30, TimeUnit.SECONDS));
                assertTrue(a.localCandidates.stream().anyMatch(c -> c.contains(" typ relay ")), a.localCandidates.toString());
                assertEquals(b.localCandidates.size(), x.relayedPairs(), "one relayed pair per remote candidate");
                AgentPair.feed(y, a.localCandidates);
                a.awaitState(IceConnectionState.CONNECTED);
                b.awaitState(IceConnectionState.CONNECTED);
            }
        }
    }
}
