package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.purertc.ice.mux.UdpMux;
import dev.purertc.ice.mux.UdpMuxConnection;
import dev.purertc.sdp.IceCandidate;

/** ICE agents whose host candidates share one {@link UdpMux} port, against agents with sockets of their own. */
class UdpMuxAgentTest {

    private static final int PAIRS = 12;

    @Test
    void agentsOnOneMuxPortConnectEchoAndLeaveNoRouteBehind() throws Exception {
        try (UdpMux mux = UdpMux.open(List.of(InetAddress.getLoopbackAddress()), 0, 0)) {
            IceOptions muxed = AgentPair.loopbackOptions().toBuilder().udpMux(mux).build();
            List<AgentPair.Side> servers = new ArrayList<>();
            List<AgentPair.Side> clients = new ArrayList<>();
            try {
                for (int i = 0; i < PAIRS; i++) {
                    AgentPair.Side server = new AgentPair.Side();
                    AgentPair.Side client = new AgentPair.Side();
                    server.agent = IceAgent.create(muxed, IceRole.CONTROLLED, server);
                    client.agent = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, client);
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
                    servers.add(server);
                    clients.add(client);
                }
                assertEquals(PAIRS, mux.connectionCount());
                for (int i = 0; i < PAIRS; i++) {
                    AgentPair.Side server = servers.get(i);
                    AgentPair.Side client = clients.get(i);
                    assertEquals(1, server.localCandidates.size());
                    assertTrue(server.localCandidates.get(0).contains(" 127.0.0.1 " + mux.port() + " typ host"),
                            server.localCandidates.get(0));
                    server.awaitState(IceConnectionState.CONNECTED);
                    client.awaitState(IceConnectionState.CONNECTED);
                    assertEquals(mux.port(), server.agent.selectedPair().local().getPort());
                    assertEquals(server.agent.selectedPair().local(), client.agent.selectedPair().remote());

                    BlockingQueue<byte[]> atServer = new LinkedBlockingQueue<>();
                    BlockingQueue<byte[]> atClient = new LinkedBlockingQueue<>();
                    server.agent.transport().setReceiver((d, off, len, src) -> {
                        byte[] copy = java.util.Arrays.copyOfRange(d, off, off + len);
                        atServer.add(copy);
                        try {
                            server.agent.transport().send(copy, 0, copy.length);   // echo
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    client.agent.transport().setReceiver((d, off, len, src) ->
                            atClient.add(java.util.Arrays.copyOfRange(d, off, off + len)));
                    byte[] record = {23, (byte) 0xFE, (byte) 0xFD, 0, 0, (byte) i, 7};
                    client.agent.transport().send(record, 0, record.length);
                    assertArrayEquals(record, atServer.poll(20, TimeUnit.SECONDS));
                    assertArrayEquals(record, atClient.poll(20, TimeUnit.SECONDS));
                }
                // Every server agent holds exactly its client's address, on the one port.
                assertEquals(PAIRS, mux.routeCount());
                UdpMuxConnection first = ((UdpMuxHarvester) servers.get(0).agent.hostSockets()).connection();
                assertNotNull(first);
                assertTrue(first.hasRoute(servers.get(0).agent.selectedPair().local(),
                        servers.get(0).agent.selectedPair().remote()));
                assertEquals(1, mux.openSocketCount());
            } finally {
                servers.forEach(s -> s.agent.close());
                clients.forEach(c -> c.agent.close());
            }
            assertEquals(0, mux.connectionCount());
            assertEquals(0, mux.routeCount());
            assertEquals(0, mux.droppedControlTasks());
        }
    }

    /**
     * A Binding request that names a muxed agent's ufrag from an address ICE has not authenticated: without
     * MESSAGE-INTEGRITY it is dropped unanswered, with a wrong one ice4j answers 401 (RFC 5389 §10.1.2);
     * either way no route and no peer-reflexive candidate, and DTLS from that address reaches nothing.
     */
    @Test
    void checksWithoutValidIntegrityCreateNoRouteAndLetNothingIn() throws Exception {
        try (UdpMux mux = UdpMux.open(List.of(InetAddress.getLoopbackAddress()), 0, 0);
             java.net.DatagramSocket intruder = new java.net.DatagramSocket(
                     new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            intruder.setSoTimeout(10_000);
            AgentPair.Side server = new AgentPair.Side();
            server.agent = IceAgent.create(AgentPair.loopbackOptions().toBuilder().udpMux(mux).build(),
                    IceRole.CONTROLLED, server);
            try {
                server.agent.setRemoteCredentials(new IceCredentials("peer", "peerpasswordpeerpassword"));
                server.agent.startGathering();
                String username = server.agent.localCredentials().ufrag() + ":peer";
                java.net.InetSocketAddress muxAddress = mux.localAddresses().get(0);

                StunProbe.send(intruder, muxAddress, StunProbe.bindingRequest(username, false));
                StunProbe.send(intruder, muxAddress, StunProbe.bindingRequest(username, true));
                assertEquals(0x0111, StunProbe.receiveType(intruder), "401 Binding error response expected");
                StunProbe.send(intruder, muxAddress, new byte[] {23, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 1});
                StunProbe.send(intruder, muxAddress, StunProbe.bindingRequest(username, true));
                assertEquals(0x0111, StunProbe.receiveType(intruder));

                assertEquals(0, mux.routeCount());
                assertEquals(1, mux.droppedDatagrams(), "the DTLS datagram");
                assertEquals(0, server.agent.transport().receivedDatagrams());
                assertEquals(0, server.agent.currentIce4jAgent().getStreams().get(0).getComponents().get(0)
                        .getRemoteCandidateCount(), "no peer-reflexive candidate learned");
            } finally {
                server.agent.close();
            }
        }
    }

    /**
     * An ICE restart (RFC 8445 §9) of a muxed agent registers its new ufrag, moves the transport to the
     * peer's new address and, once the new generation carries data, unregisters the old one.
     */
    @Test
    void restartRegistersTheNewUfragAndReleasesTheOldGeneration() throws Exception {
        try (UdpMux mux = UdpMux.open(List.of(InetAddress.getLoopbackAddress()), 0, 0)) {
            AgentPair.Side a = new AgentPair.Side();
            AgentPair.Side b = new AgentPair.Side();
            try (IceAgent client = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, a);
                 IceAgent server = IceAgent.create(AgentPair.loopbackOptions().toBuilder().udpMux(mux).build(),
                         IceRole.CONTROLLED, b)) {
                client.setRemoteCredentials(server.localCredentials());
                server.setRemoteCredentials(client.localCredentials());
                client.startGathering();
                server.startGathering();
                AgentPair.feed(server, a.localCandidates);
                AgentPair.feed(client, b.localCandidates);
                a.awaitState(IceConnectionState.CONNECTED);
                b.awaitState(IceConnectionState.CONNECTED);
                java.net.InetSocketAddress oldClientAddress = client.selectedPair().local();
                String oldUfrag = server.localCredentials().ufrag();

                IceCredentials newClient = client.restart();
                IceCredentials newServer = server.restart();
                a.localCandidates.clear();
                b.localCandidates.clear();
                client.setRemoteCredentials(newServer);
                server.setRemoteCredentials(newClient);
                client.startGathering();
                server.startGathering();
                assertEquals(2, mux.connectionCount(), "old and new generation until the new one connects");
                AgentPair.feed(server, a.localCandidates);
                AgentPair.feed(client, b.localCandidates);

                assertTrue(AgentPair.eventually(server,
                        s -> !s.selectedPair().remote().equals(oldClientAddress), AgentPair.WAIT));
                assertEquals(mux.localAddresses().get(0), server.selectedPair().local());
                BlockingQueue<byte[]> atClient = new LinkedBlockingQueue<>();
                client.transport().setReceiver((d, off, len, src) ->
                        atClient.add(java.util.Arrays.copyOfRange(d, off, off + len)));
                byte[] after = {23, 8};
                server.transport().send(after, 0, after.length);
                assertArrayEquals(after, atClient.poll(20, TimeUnit.SECONDS));
                assertTrue(AgentPair.eventually(mux, m -> m.connectionCount() == 1, AgentPair.WAIT),
                        "the old generation's ufrag stays registered");
                assertEquals(1, mux.routeCount());
                assertTrue(((UdpMuxHarvester) server.hostSockets()).connection()
                        .hasRoute(server.selectedPair().local(), server.selectedPair().remote()));
                assertTrue(!oldUfrag.equals(server.localCredentials().ufrag()));
            }
            assertEquals(0, mux.connectionCount());
            assertEquals(0, mux.routeCount());
        }
    }
}
