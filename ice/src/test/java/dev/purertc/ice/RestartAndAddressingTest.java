package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class RestartAndAddressingTest {

    private static void connect(IceAgent x, AgentPair.Side a, IceAgent y, AgentPair.Side b) throws Exception {
        x.setRemoteCredentials(y.localCredentials());
        y.setRemoteCredentials(x.localCredentials());
        x.startGathering();
        y.startGathering();
        AgentPair.feed(y, a.localCandidates);
        AgentPair.feed(x, b.localCandidates);
    }

    @Test
    void iceRestartMovesTheTransportToNewSocketsAndClosesTheOldOnes() throws Exception {
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        try (IceAgent x = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, a);
             IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b)) {
            connect(x, a, y, b);
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);
            InetSocketAddress oldLocal = x.selectedPair().local();
            IceCredentials oldCredentials = x.localCredentials();
            String oldCandidate = b.localCandidates.get(0);

            IceCredentials newX = x.restart();
            IceCredentials newY = y.restart();
            assertNotEquals(oldCredentials, newX);
            assertEquals(newX, x.localCredentials());
            a.localCandidates.clear();
            b.localCandidates.clear();
            x.setRemoteCredentials(newY);
            y.setRemoteCredentials(newX);
            // A late candidate of the old generation is recognised by its ufrag and ignored.
            assertEquals(IceAgent.RemoteCandidateOutcome.IGNORED_OTHER_GENERATION, x.addRemoteCandidate(oldCandidate));
            // The old pair still carries data while the new generation gathers.
            byte[] during = {23, 7};
            BlockingQueue<byte[]> atY = new LinkedBlockingQueue<>();
            y.transport().setReceiver((data, off, len, src) -> {
                byte[] c = new byte[len];
                System.arraycopy(data, off, c, 0, len);
                atY.add(c);
            });
            x.transport().send(during, 0, during.length);
            assertArrayEquals(during, atY.poll(20, TimeUnit.SECONDS));

            x.startGathering();
            y.startGathering();
            assertTrue(a.localCandidates.get(0).endsWith("ufrag " + newX.ufrag()), a.localCandidates.get(0));
            assertEquals(List.of(IceAgent.RemoteCandidateOutcome.ADDED), AgentPair.feed(y, a.localCandidates));
            assertEquals(List.of(IceAgent.RemoteCandidateOutcome.ADDED), AgentPair.feed(x, b.localCandidates));

            assertTrue(AgentPair.eventually(x, ag -> !ag.selectedPair().local().equals(oldLocal), AgentPair.WAIT));
            assertTrue(AgentPair.eventually(y, ag -> ag.selectedPair().remote().equals(x.selectedPair().local()),
                    AgentPair.WAIT));
            byte[] after = {23, 8};
            x.transport().send(after, 0, after.length);
            assertArrayEquals(after, atY.poll(20, TimeUnit.SECONDS));
            assertEquals(1, x.openSocketCount());
            // The old socket is closed: its port can be bound again.
            assertTrue(AgentPair.eventually(oldLocal, RestartAndAddressingTest::bindable, AgentPair.WAIT));
            assertTrue(a.states.stream().noneMatch(s -> s == IceConnectionState.FAILED), a.states.toString());
        }
    }

    @Test
    void connectsOverIpv6LoopbackOnly() throws Exception {
        IceOptions v6 = IceOptions.builder().hostAddresses(new HostAddressFilter(List.of(), List.of(), List.of(),
                List.of(), HostAddressFilter.Loopback.ONLY, false, true, false)).build();
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        try (IceAgent x = IceAgent.create(v6, IceRole.CONTROLLING, a);
             IceAgent y = IceAgent.create(v6, IceRole.CONTROLLED, b)) {
            connect(x, a, y, b);
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);
            assertEquals(1, a.localCandidates.size());
            assertTrue(a.localCandidates.get(0).contains(" 0:0:0:0:0:0:0:1 ") || a.localCandidates.get(0).contains(" ::1 "),
                    a.localCandidates.get(0));
            assertEquals(InetAddress.getByName("::1"), x.selectedPair().local().getAddress());
        }
    }

    @Test
    void gathersBothLoopbackFamiliesAndHonoursThePortRange() throws Exception {
        int base = freePortBlock();
        IceOptions both = IceOptions.builder().hostAddresses(HostAddressFilter.loopbackOnly())
                .portRange(base, base + 9).build();
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        try (IceAgent x = IceAgent.create(both, IceRole.CONTROLLING, a);
             IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b)) {
            connect(x, a, y, b);
            assertEquals(2, a.localCandidates.size(), a.localCandidates.toString());
            for (String line : a.localCandidates) {
                int port = Integer.parseInt(line.split(" ")[5]);
                assertTrue(port >= base && port <= base + 9, line);
            }
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);
            assertEquals(InetAddress.getLoopbackAddress(), x.selectedPair().local().getAddress());
            assertEquals(List.of(IceAgent.RemoteCandidateOutcome.IGNORED_UNREACHABLE),
                    AgentPair.feed(y, List.of("candidate:9 1 udp 2122260223 192.0.2.9 5000 typ host")));
            assertEquals(List.of(IceAgent.RemoteCandidateOutcome.IGNORED_UNRESOLVED_NAME),
                    AgentPair.feed(y, List.of("candidate:9 1 udp 2122260223 peer.example 5000 typ host")));
            assertEquals(List.of(IceAgent.RemoteCandidateOutcome.IGNORED_UNSUPPORTED),
                    AgentPair.feed(y, List.of("candidate:9 1 tcp 2122260223 127.0.0.1 9 typ host tcptype active")));
        }
    }

    private static boolean bindable(InetSocketAddress address) {
        try (DatagramSocket s = new DatagramSocket(address)) {
            return s.isBound();
        } catch (SocketException busy) {
            return false;
        }
    }

    /** A block of ten ports that were free a moment ago (the kernel's ephemeral range moves on). */
    private static int freePortBlock() throws SocketException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + (int) (Math.random() * 20000);
            boolean free = true;
            for (int p = base; p < base + 10 && free; p++) {
                free = bindable(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
            }
            if (free) {
                return base;
            }
        }
        throw new SocketException("no free block of ten UDP ports");
    }

}
