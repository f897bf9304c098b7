package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.purertc.ice.mux.UdpMux;
import dev.purertc.ice.tcp.IceTcpListener;

/**
 * The network-facing limits of {@link IceTcpListener} and what a connection costs: no thread and one file
 * descriptor.
 */
class IceTcpListenerLimitsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void connectionsBeyondThePendingLimitAreClosedAtAccept() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try (IceTcpListener listener = IceTcpListener.open(List.of(LOOPBACK), 0)) {
            for (int i = 0; i < IceTcpListener.MAX_PENDING_CONNECTIONS; i++) {
                idle.add(connect(listener));
            }
            assertTrue(AgentPair.eventually(listener,
                    l -> l.pendingConnectionCount() == IceTcpListener.MAX_PENDING_CONNECTIONS, AgentPair.WAIT));
            try (Socket oneTooMany = connect(listener)) {
                assertEquals(-1, oneTooMany.getInputStream().read());
            }
            assertEquals(1, listener.refusedOverPendingLimit());
            assertEquals(IceTcpListener.MAX_PENDING_CONNECTIONS, listener.pendingConnectionCount());
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void aConnectionThatNeverAuthenticatesIsClosedAfterTenSeconds() throws Exception {
        try (IceTcpListener listener = IceTcpListener.open(List.of(LOOPBACK), 0);
             Socket silent = connect(listener)) {
            long start = System.nanoTime();
            silent.setSoTimeout(20_000);
            assertEquals(-1, silent.getInputStream().read());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 9_900 && millis < 12_000, "closed after " + millis + " ms");
            assertEquals(1, listener.closedUnauthenticated());
            assertEquals(0, listener.pendingConnectionCount());
        }
    }

    @Test
    void anAgentTakesSixteenConnectionsAndTheSeventeenthIsClosed() throws Exception {
        try (IceTcpListener listener = IceTcpListener.open(List.of(LOOPBACK), 0)) {
            AgentPair.Side server = new AgentPair.Side();
            server.agent = IceAgent.create(AgentPair.loopbackOptions().toBuilder().iceTcp(listener).build(),
                    IceRole.CONTROLLED, server);
            List<ActiveTcpIcePeer> peers = new ArrayList<>();
            try {
                server.agent.startGathering();
                IceCredentials peerCredentials = null;
                for (int i = 0; i <= IceTcpListener.MAX_CONNECTIONS_PER_AGENT; i++) {
                    ActiveTcpIcePeer peer = new ActiveTcpIcePeer(new InetSocketAddress(LOOPBACK, listener.port()),
                            server.agent.localCredentials(), peerCredentials);
                    peerCredentials = peer.credentials;
                    peers.add(peer);
                    if (i == 0) {
                        server.agent.setRemoteCredentials(peerCredentials);
                    }
                    peer.sendCheck();
                    if (i < IceTcpListener.MAX_CONNECTIONS_PER_AGENT) {
                        int authenticated = i + 1;
                        assertTrue(AgentPair.eventually(listener, l -> l.connectionCount() == authenticated
                                && l.pendingConnectionCount() == 0, AgentPair.WAIT), "connection " + i);
                    }
                }
                ActiveTcpIcePeer seventeenth = peers.get(IceTcpListener.MAX_CONNECTIONS_PER_AGENT);
                assertTrue(seventeenth.closedByPeer());
                assertEquals(1, listener.closedOverAgentLimit());
                assertEquals(IceTcpListener.MAX_CONNECTIONS_PER_AGENT, listener.connectionCount());
            } finally {
                server.agent.close();
                for (ActiveTcpIcePeer p : peers) {
                    p.close();
                }
            }
            assertEquals(0, listener.registrationCount());
            assertTrue(AgentPair.eventually(listener, l -> l.connectionCount() == 0, AgentPair.WAIT));
        }
    }

    /**
     * 8 agents with one authenticated connection each, then with 16 each (128): the listener's threads stay 2
     * and each connection adds exactly one socket on the server side; no ice4j reader thread exists.
     */
    @Test
    void aConnectionCostsOneFileDescriptorAndNoThread() throws Exception {
        int agents = 8;
        // Other test classes' agents may still be winding down in this JVM: none may be added here.
        int connectorThreadsBefore = threadsNamed("IceConnector");
        try (IceTcpListener listener = IceTcpListener.open(List.of(LOOPBACK), 0);
             UdpMux mux = UdpMux.open(List.of(LOOPBACK), 0, 0)) {
            IceOptions options = AgentPair.loopbackOptions().toBuilder().udpMux(mux).iceTcp(listener).build();
            List<AgentPair.Side> servers = new ArrayList<>();
            List<IceCredentials> peerCredentials = new ArrayList<>();
            List<ActiveTcpIcePeer> peers = new ArrayList<>();
            try {
                for (int a = 0; a < agents; a++) {
                    AgentPair.Side server = new AgentPair.Side();
                    server.agent = IceAgent.create(options, IceRole.CONTROLLED, server);
                    server.agent.startGathering();
                    servers.add(server);
                    peerCredentials.add(null);
                }
                int[] figures = new int[4];
                for (int round = 0; round < IceTcpListener.MAX_CONNECTIONS_PER_AGENT; round++) {
                    for (int a = 0; a < agents; a++) {
                        IceAgent agent = servers.get(a).agent;
                        ActiveTcpIcePeer peer = new ActiveTcpIcePeer(new InetSocketAddress(LOOPBACK, listener.port()),
                                agent.localCredentials(), peerCredentials.get(a));
                        if (round == 0) {
                            peerCredentials.set(a, peer.credentials);
                            agent.setRemoteCredentials(peer.credentials);
                        }
                        peers.add(peer);
                        peer.sendCheck();
                    }
                    int expected = (round + 1) * agents;
                    assertTrue(AgentPair.eventually(listener, l -> l.connectionCount() == expected
                            && l.pendingConnectionCount() == 0, AgentPair.WAIT), "round " + round);
                    if (round == 0) {
                        figures[0] = serverSocketsOnPort(listener.port());
                        figures[1] = Thread.activeCount();
                    }
                }
                figures[2] = serverSocketsOnPort(listener.port());
                figures[3] = Thread.activeCount();
                int connections = agents * IceTcpListener.MAX_CONNECTIONS_PER_AGENT;
                System.out.printf(Locale.ROOT, "ICE-TCP: %d connections: server sockets on the port %d (at %d: %d), "
                        + "listener threads %d, process threads %d (at %d: %d)%n", connections, figures[2], agents,
                        figures[0], listener.threadCount(), figures[3], agents, figures[1]);
                assertEquals(1 + agents, figures[0], "the listening socket and one per connection");
                assertEquals(1 + connections, figures[2], "the listening socket and one per connection");
                assertEquals(2, listener.threadCount());
                assertEquals(2, threadsNamed("purertc-icetcp-"));
                assertTrue(threadsNamed("IceConnector") <= connectorThreadsBefore, "an ice4j reader thread started");
            } finally {
                servers.forEach(s -> s.agent.close());
                for (ActiveTcpIcePeer p : peers) {
                    p.close();
                }
            }
            assertTrue(AgentPair.eventually(listener, l -> l.connectionCount() == 0, AgentPair.WAIT));
            assertEquals(0, listener.registrationCount());
        }
        // close() waited for both threads to finish their work; they leave the thread table a moment later.
        assertTrue(AgentPair.eventually("purertc-icetcp-", p -> threadsNamed(p) == 0, AgentPair.WAIT));
    }

    private static Socket connect(IceTcpListener listener) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(LOOPBACK, listener.port()), 5_000);
        return s;
    }

    private static int threadsNamed(String prefix) {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    /**
     * This process's TCP sockets whose local port is {@code port} (the listening socket and the accepted ones;
     * the test's own client sockets have ephemeral local ports): /proc/self/fd socket inodes matched against
     * /proc/self/net/tcp{,6}.
     */
    static int serverSocketsOnPort(int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[1].contains(":")) {
                    continue;
                }
                int localPort = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                if (localPort == port) {
                    inodes.add(f[9]);
                }
            }
        }
        int n = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[") && inodes.contains(link.substring(8, link.length() - 1))) {
                        n++;
                    }
                } catch (IOException closedMeanwhile) {
                    // an fd that closed while listed is not one of the listener's
                }
            }
        }
        return n;
    }
}
