package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.ice4j.ice.LocalCandidate;
import org.ice4j.socket.MultiplexingDatagramSocket;
import org.junit.jupiter.api.Test;

/**
 * Per-connection host sockets without STUN or TURN servers are {@link DirectStunHostCandidate}s: ice4j's
 * STUN reader reads the {@link DemultiplexingDatagramSocket} itself, one UDP socket per candidate, no
 * {@code MultiplexingDatagramSocket}. With a STUN server the candidate keeps ice4j's multiplexing socket,
 * which the server-reflexive harvest filters on.
 */
class DirectStunHostCandidateTest {

    /**
     * The inodes of this process's socket fds (ice4j's unused wrapper sockets are unbound, so /proc/net/udp
     * would not list them: every socket fd is counted). Inodes, not a count: a socket of an earlier test that
     * closes on a pool meanwhile must not hide a new one.
     */
    private static Set<String> socketInodes() throws Exception {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // an fd closed while listing: not one of ours
                }
            }
        }
        return inodes;
    }

    /** {@link #socketInodes()} once they have not changed for 300 ms (earlier tests' sockets close on pools). */
    private static Set<String> settledSocketInodes() throws Exception {
        Set<String> last = socketInodes();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            Thread.sleep(300);
            Set<String> now = socketInodes();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static Set<String> opened(Set<String> before, Set<String> after) {
        Set<String> opened = new HashSet<>(after);
        opened.removeAll(before);
        return opened;
    }

    private static List<LocalCandidate> hostCandidates(IceAgent agent) {
        return agent.currentIce4jAgent().getStream(IceAgent.STREAM_NAME).getComponents().get(0).getLocalCandidates();
    }

    @Test
    void withoutServersEachHostCandidateReadsItsOwnSocketAndCostsOneFd() throws Exception {
        // Warm up first: the first agent of a JVM loads classes from jars and starts shared pools, which opens
        // fds that are not the candidate's.
        try (IceAgent warm = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, new AgentPair.Side())) {
            warm.startGathering();
        }
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        Set<String> before = settledSocketInodes();
        try (IceAgent x = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, a);
             IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b)) {
            x.startGathering();
            y.startGathering();
            assertEquals(2, opened(before, socketInodes()).size(), "one socket per agent (127.0.0.1 only), not three");
            for (IceAgent agent : List.of(x, y)) {
                List<LocalCandidate> candidates = hostCandidates(agent);
                assertEquals(1, candidates.size());
                DirectStunHostCandidate host = (DirectStunHostCandidate) candidates.get(0);
                assertSame(host.socket(), host.getStunSocket(null).getUDPSocket());
                assertSame(host.socket(), agent.hostSockets().socketFor(
                        new java.net.InetSocketAddress(host.getTransportAddress().getAddress(),
                                host.getTransportAddress().getPort())));
            }
            x.setRemoteCredentials(y.localCredentials());
            y.setRemoteCredentials(x.localCredentials());
            AgentPair.feed(y, a.localCandidates);
            AgentPair.feed(x, b.localCandidates);
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);
        }
    }

    @Test
    void withAStunServerTheHostCandidateKeepsIce4jsMultiplexingSocket() throws Exception {
        // Nothing answers on this port: only the candidate's socket type matters here (the harvest itself is
        // StunServerGatheringTest's).
        IceOptions options = AgentPair.loopbackOptions().toBuilder()
                .iceServer(IceServer.stun("stun:127.0.0.1:9")).build();
        try (IceAgent agent = IceAgent.create(options, IceRole.CONTROLLING, new AgentPair.Side())) {
            agent.startGathering();
            LocalCandidate host = hostCandidates(agent).get(0);
            assertEquals(org.ice4j.ice.HostCandidate.class, host.getClass());
            assertEquals(MultiplexingDatagramSocket.class, hostUdpSocketClass(host));
        }
    }

    private static Class<?> hostUdpSocketClass(LocalCandidate host) {
        return ((org.ice4j.ice.HostCandidate) host).getCandidateIceSocketWrapper().getUDPSocket().getClass();
    }
}
