package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;

import org.junit.jupiter.api.Test;

/**
 * Host candidate sockets get the SO_RCVBUF/SO_SNDBUF of {@link IceOptions#socketBufferBytes()}. What the
 * kernel grants for a request depends on its limits (Linux: {@code rmem_max}, reported doubled), so each
 * expectation is what the kernel grants a plain socket for the same request, measured here.
 */
class SocketBufferTest {

    /** The kernel's answer to {@code bytes} (0: no request) on a fresh UDP socket: {receive, send}. */
    private static int[] kernelGrants(int bytes) throws SocketException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            if (bytes > 0) {
                probe.setReceiveBufferSize(bytes);
                probe.setSendBufferSize(bytes);
            }
            return new int[] {probe.getReceiveBufferSize(), probe.getSendBufferSize()};
        }
    }

    private static IceAgent[] connect(IceOptions options, AgentPair.Side a, AgentPair.Side b) throws Exception {
        IceAgent x = IceAgent.create(options, IceRole.CONTROLLING, a);
        IceAgent y = IceAgent.create(options, IceRole.CONTROLLED, b);
        x.startGathering();
        y.startGathering();
        x.setRemoteCredentials(y.localCredentials());
        y.setRemoteCredentials(x.localCredentials());
        AgentPair.feed(y, a.localCandidates);
        AgentPair.feed(x, b.localCandidates);
        a.awaitState(IceConnectionState.CONNECTED);
        b.awaitState(IceConnectionState.CONNECTED);
        return new IceAgent[] {x, y};
    }

    @Test
    void defaultOptionsRequestFourMebibytesOnTheSelectedSocket() throws Exception {
        assertEquals(4 * 1024 * 1024, IceOptions.defaults().socketBufferBytes());
        int[] expected = kernelGrants(IceOptions.DEFAULT_SOCKET_BUFFER_BYTES);
        int[] kernelDefault = kernelGrants(0);
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        IceAgent[] agents = connect(AgentPair.loopbackOptions(), a, b);
        try {
            for (IceAgent agent : agents) {
                assertEquals(expected[0], agent.transport().receiveBufferBytes());
                assertEquals(expected[1], agent.transport().sendBufferBytes());
                assertTrue(agent.transport().receiveBufferBytes() >= kernelDefault[0],
                        agent.transport().receiveBufferBytes() + " < kernel default " + kernelDefault[0]);
                assertTrue(agent.transport().sendBufferBytes() >= kernelDefault[1],
                        agent.transport().sendBufferBytes() + " < kernel default " + kernelDefault[1]);
            }
        } finally {
            agents[0].close();
            agents[1].close();
        }
    }

    @Test
    void configuredSizeIsWhatIsRequestedAndZeroKeepsTheKernelDefault() throws Exception {
        // 64 KiB is below the default the JDK reads on Linux (rmem_default 212992, halved: 106496), so
        // getting the 64 KiB grant shows the request was made rather than the default kept.
        int small = 64 * 1024;
        int[] smallGrant = kernelGrants(small);
        int[] kernelDefault = kernelGrants(0);
        for (int bytes : new int[] {small, 0}) {
            int[] expected = bytes == 0 ? kernelDefault : smallGrant;
            if (bytes != 0) {
                assertTrue(smallGrant[0] < kernelDefault[0], "this kernel's default SO_RCVBUF " + kernelDefault[0]
                        + " is not above the 64 KiB grant " + smallGrant[0] + ": the test cannot tell them apart");
            }
            AgentPair.Side a = new AgentPair.Side();
            AgentPair.Side b = new AgentPair.Side();
            IceOptions options = AgentPair.loopbackOptions().toBuilder().socketBufferBytes(bytes).build();
            IceAgent[] agents = connect(options, a, b);
            try {
                assertEquals(expected[0], agents[0].transport().receiveBufferBytes(), "SO_RCVBUF for " + bytes);
                assertEquals(expected[1], agents[0].transport().sendBufferBytes(), "SO_SNDBUF for " + bytes);
                assertEquals(expected[0], agents[1].transport().receiveBufferBytes(), "SO_RCVBUF for " + bytes);
            } finally {
                agents[0].close();
                agents[1].close();
            }
        }
    }

    @Test
    void noSizeBeforeAPairIsSelectedAndNegativeSizesAreRejected() {
        try (IceAgent agent = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLING,
                new IceAgentListener() { })) {
            assertEquals(-1, agent.transport().receiveBufferBytes());
            assertEquals(-1, agent.transport().sendBufferBytes());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IceOptions.builder().socketBufferBytes(-1).build());
        assertEquals("socketBufferBytes must be 0 (kernel default) or positive, got -1", e.getMessage());
    }
}
