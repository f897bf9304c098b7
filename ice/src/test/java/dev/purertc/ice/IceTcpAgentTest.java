package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.purertc.ice.mux.UdpMux;
import dev.purertc.ice.tcp.IceTcpListener;

/**
 * An agent with passive ICE-TCP candidates (RFC 6544) on a shared {@link IceTcpListener}, against a
 * hand-written active TCP peer: the peer's checks pass, the agent's triggered check comes back over the same
 * connection, and DTLS-looking frames flow both ways.
 */
class IceTcpAgentTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void anActivePeerChecksThePassiveCandidateAndDataFlowsBothWays() throws Exception {
        try (IceTcpListener listener = IceTcpListener.open(List.of(LOOPBACK), 0);
             UdpMux mux = UdpMux.open(List.of(LOOPBACK), 0, 0)) {
            AgentPair.Side server = new AgentPair.Side();
            server.agent = IceAgent.create(AgentPair.loopbackOptions().toBuilder().udpMux(mux).iceTcp(listener).build(),
                    IceRole.CONTROLLED, server);
            try {
                server.agent.startGathering();
                String ufrag = server.agent.localCredentials().ufrag();
                // RFC 6544 §4.2 priority: type preference 90, local preference (2^13) 4 + 8191, component 1.
                long tcpPriority = (90L << 24) + (((4 << 13) + 8191L) << 8) + 255;
                assertEquals(2, server.localCandidates.size(), server.localCandidates.toString());
                String tcpLine = server.localCandidates.get(1);
                assertEquals(" 1 tcp " + tcpPriority + " 127.0.0.1 " + listener.port()
                        + " typ host tcptype passive ufrag " + ufrag, tcpLine.substring(tcpLine.indexOf(' ')));
                assertTrue(server.localCandidates.get(0).contains(" udp "), server.localCandidates.get(0));

                try (ActiveTcpIcePeer peer = new ActiveTcpIcePeer(
                        new InetSocketAddress(LOOPBACK, listener.port()), server.agent.localCredentials())) {
                    server.agent.setRemoteCredentials(peer.credentials);
                    // The active candidate's port 9 is not a destination (RFC 6544 §4.5): the agent waits for
                    // the connection and learns the peer's address from its check (peer-reflexive).
                    assertEquals(IceAgent.RemoteCandidateOutcome.IGNORED_UNSUPPORTED,
                            server.agent.addRemoteCandidate(peer.activeCandidateLine()));
                    peer.sendCheck();
                    peer.completeChecks();
                    server.awaitState(IceConnectionState.CONNECTED);
                    assertEquals(new InetSocketAddress(LOOPBACK, listener.port()), server.agent.selectedPair().local());
                    assertEquals(peer.localAddress(), server.agent.selectedPair().remote());
                    assertEquals(1, listener.connectionCount());
                    assertEquals(0, listener.pendingConnectionCount());

                    BlockingQueue<byte[]> atServer = new LinkedBlockingQueue<>();
                    server.agent.transport().setReceiver((d, off, len, src) ->
                            atServer.add(Arrays.copyOfRange(d, off, off + len)));
                    byte[] up = {23, (byte) 0xFE, (byte) 0xFD, 0, 1, 2, 3};
                    peer.frame(up);
                    assertArrayEquals(up, atServer.poll(20, TimeUnit.SECONDS));
                    byte[] down = new byte[1200];
                    down[0] = 23;
                    Arrays.fill(down, 1, down.length, (byte) 0x5A);
                    server.agent.transport().send(down, 0, down.length);
                    assertArrayEquals(down, peer.receiveData());
                }
            } finally {
                server.agent.close();
            }
            assertEquals(0, listener.registrationCount());
            assertEquals(0, listener.connectionCount());
        }
    }

    @Test
    void aConnectionWhoseFirstFrameNamesNoAgentIsClosed() throws Exception {
        try (IceTcpListener listener = IceTcpListener.open(List.of(LOOPBACK), 0);
             ActiveTcpIcePeer peer = new ActiveTcpIcePeer(new InetSocketAddress(LOOPBACK, listener.port()),
                     new IceCredentials("nobody", "nobodyspasswordnobodyspassword"))) {
            peer.sendCheck();
            assertEquals(-1, readEnd(peer));
            assertEquals(1, listener.closedUnrouted());
            assertTrue(AgentPair.eventually(listener, l -> l.connectionCount() == 0, AgentPair.WAIT));
        }
    }

    @Test
    void aCheckWithAWrongPasswordLeavesTheConnectionUnauthenticatedAndItsDtlsUnread() throws Exception {
        try (IceTcpListener listener = IceTcpListener.open(List.of(LOOPBACK), 0)) {
            AgentPair.Side server = new AgentPair.Side();
            server.agent = IceAgent.create(AgentPair.loopbackOptions().toBuilder().iceTcp(listener).build(),
                    IceRole.CONTROLLED, server);
            try (ActiveTcpIcePeer peer = new ActiveTcpIcePeer(new InetSocketAddress(LOOPBACK, listener.port()),
                    new IceCredentials(server.agent.localCredentials().ufrag(), "wrongpasswordwrongpassword"))) {
                server.agent.startGathering();
                server.agent.setRemoteCredentials(peer.credentials);
                BlockingQueue<byte[]> atServer = new LinkedBlockingQueue<>();
                server.agent.transport().setReceiver((d, off, len, src) -> atServer.add(d));
                peer.sendCheck();
                byte[] reply = peer.receiveData();   // not a success: ice4j answers 401 (RFC 5389 §10.1.2)
                assertEquals(0x0111, ((reply[0] & 0xFF) << 8) | (reply[1] & 0xFF));
                peer.frame(new byte[] {23, (byte) 0xFE, (byte) 0xFD, 0, 9});
                assertEquals(1, listener.pendingConnectionCount());
                assertNull(atServer.poll(300, TimeUnit.MILLISECONDS));
                assertNull(server.agent.selectedPair());
                assertTrue(!server.states.contains(IceConnectionState.CONNECTED), server.states.toString());
            } finally {
                server.agent.close();
            }
        }
    }

    private static int readEnd(ActiveTcpIcePeer peer) throws Exception {
        try {
            peer.receiveData();
            return 0;
        } catch (java.io.EOFException | java.net.SocketException e) {
            return -1;
        }
    }
}
