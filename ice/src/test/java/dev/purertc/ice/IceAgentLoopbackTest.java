package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class IceAgentLoopbackTest {

    @Test
    void twoAgentsConnectWithTrickleExchangeDtlsDatagramsAndReleaseEveryThreadOnClose() throws Exception {
        warmUpIce4jSharedPools();
        // ice4j's process-wide cached pools (names "ice4j.NetAccessManager-", "ice4j.StunStack-", ...) grow
        // with load and shrink after 60 s idle, so counting every thread failed once in a while ("14 > 13").
        // What this agent must release is its own: its IceConnector readers and PureRTC's threads.
        Set<Thread> baseline = Set.copyOf(Thread.getAllStackTraces().keySet());

        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        a.agent = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, a);
        b.agent = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b);
        // Trickle: each local candidate goes straight to the other agent.
        a.forward = new IceAgentListener() {
            @Override
            public void onLocalCandidate(dev.purertc.sdp.IceCandidate line) {
                b.agent.addRemoteCandidate(line);
            }
        };
        b.forward = new IceAgentListener() {
            @Override
            public void onLocalCandidate(dev.purertc.sdp.IceCandidate line) {
                a.agent.addRemoteCandidate(line);
            }
        };
        a.agent.setRemoteCredentials(b.agent.localCredentials());
        b.agent.setRemoteCredentials(a.agent.localCredentials());
        a.agent.startGathering();
        b.agent.startGathering();

        assertTrue(a.endOfCandidates.await(20, TimeUnit.SECONDS));
        assertTrue(b.endOfCandidates.await(20, TimeUnit.SECONDS));
        assertEquals(1, a.localCandidates.size(), a.localCandidates.toString());
        assertTrue(a.localCandidates.get(0).matches(
                "candidate:\\S+ 1 udp \\d+ 127\\.0\\.0\\.1 \\d+ typ host ufrag "
                        + a.agent.localCredentials().ufrag()), a.localCandidates.get(0));

        a.awaitState(IceConnectionState.CONNECTED);
        b.awaitState(IceConnectionState.CONNECTED);
        assertEquals(List.of(IceConnectionState.CHECKING, IceConnectionState.CONNECTED),
                a.states.subList(0, 2));
        assertEquals(InetAddress.getLoopbackAddress(), a.agent.selectedPair().local().getAddress());
        assertEquals(a.agent.selectedPair().local(), b.agent.selectedPair().remote());
        assertEquals(b.agent.selectedPair().local(), a.agent.selectedPair().remote());

        BlockingQueue<byte[]> atB = new LinkedBlockingQueue<>();
        b.agent.transport().setReceiver((data, off, len, src) -> {
            byte[] copy = new byte[len];
            System.arraycopy(data, off, copy, 0, len);
            atB.add(copy);
        });
        byte[] clientHello = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 1, 2, 3};
        byte[] appData = {23, (byte) 0xFE, (byte) 0xFD, 9, 9, 9};
        byte[] rtp = {(byte) 0x80, 0, 1, 2};
        a.agent.transport().send(clientHello, 0, clientHello.length);
        a.agent.transport().send(rtp, 0, rtp.length);
        a.agent.transport().send(ByteBuffer.wrap(appData));
        assertArrayEquals(clientHello, atB.poll(20, TimeUnit.SECONDS));
        assertArrayEquals(appData, atB.poll(20, TimeUnit.SECONDS));
        assertTrue(AgentPair.eventually(b.agent.transport(), t -> t.droppedDatagrams() == 1, AgentPair.WAIT));

        // The other direction through the non-blocking queue.
        byte[] reply = {20, (byte) 0xFE, (byte) 0xFD, 1};
        b.agent.transport().send(reply, 0, reply.length);
        assertTrue(AgentPair.eventually(a.agent.transport(), t -> t.receivedDatagrams() == 1, AgentPair.WAIT));
        ByteBuffer polled = a.agent.transport().poll();
        assertNotNull(polled);
        byte[] got = new byte[polled.remaining()];
        polled.get(got);
        assertArrayEquals(reply, got);

        java.net.InetSocketAddress aLocal = a.agent.selectedPair().local();
        java.net.InetSocketAddress bLocal = b.agent.selectedPair().local();
        a.agent.close();
        b.agent.close();
        // Every socket is released: the selected pair's ports can be bound again. The JDK releases a socket's
        // port once the thread blocked in its receive() (ice4j's reader) has left it, a moment after close().
        for (java.net.InetSocketAddress local : List.of(aLocal, bLocal)) {
            assertTrue(AgentPair.eventually(local, IceAgentLoopbackTest::bindsAgain, Duration.ofSeconds(5)),
                    local + " is still bound 5 s after close");
        }
        assertEquals(0, a.agent.openSocketCount());
        assertEquals(IceConnectionState.CLOSED, a.agent.state());
        assertEquals(IceConnectionState.CLOSED, a.states.get(a.states.size() - 1));
        assertTrue(AgentPair.eventually(baseline, before -> threadsSince(before).isEmpty(), Duration.ofSeconds(30)),
                () -> "threads left after close: " + threadsSince(baseline));
    }

    private static boolean bindsAgain(java.net.InetSocketAddress local) {
        try (java.net.DatagramSocket rebound = new java.net.DatagramSocket(local)) {
            return local.equals(rebound.getLocalSocketAddress());
        } catch (java.net.SocketException stillBound) {
            return false;
        }
    }

    /** Threads alive now that were not at {@code baseline}, ice4j's process-wide pools excepted. */
    static List<String> threadsSince(Set<Thread> baseline) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !baseline.contains(t) && !t.getName().startsWith("ice4j."))
                .map(Thread::getName).sorted().toList();
    }

    /** ice4j keeps process-wide executors (checks, timers) once used; start them before the baseline. */
    static void warmUpIce4jSharedPools() throws Exception {
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        try (IceAgent x = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING, a);
             IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b)) {
            x.setRemoteCredentials(y.localCredentials());
            y.setRemoteCredentials(x.localCredentials());
            x.startGathering();
            y.startGathering();
            AgentPair.feed(y, a.localCandidates);
            AgentPair.feed(x, b.localCandidates);
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);
        }
    }
}
