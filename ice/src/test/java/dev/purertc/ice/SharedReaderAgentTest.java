package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.purertc.ice.mux.SharedUdpReader;

/**
 * Agents whose per-connection sockets are read by a {@link SharedUdpReader}: they connect and carry DTLS
 * datagrams as with ice4j's readers, without an ice4j reader thread per socket.
 */
class SharedReaderAgentTest {

    private static long ice4jReaders() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("IceConnector")).count();
    }

    @Test
    void tenPairsConnectAndCarryDatagramsWithoutAReaderThreadEach() throws Exception {
        long readersBefore = ice4jReaders();
        List<IceAgent> agents = new ArrayList<>();
        try (SharedUdpReader reader = SharedUdpReader.open()) {
            IceOptions options = AgentPair.loopbackOptions().toBuilder().sharedUdpReader(reader).build();
            List<AgentPair.Side[]> sides = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                AgentPair.Side a = new AgentPair.Side();
                AgentPair.Side b = new AgentPair.Side();
                IceAgent x = IceAgent.create(options, IceRole.CONTROLLING, a);
                IceAgent y = IceAgent.create(options, IceRole.CONTROLLED, b);
                agents.add(x);
                agents.add(y);
                x.startGathering();
                y.startGathering();
                x.setRemoteCredentials(y.localCredentials());
                y.setRemoteCredentials(x.localCredentials());
                AgentPair.feed(y, a.localCandidates);
                AgentPair.feed(x, b.localCandidates);
                sides.add(new AgentPair.Side[] {a, b});
                assertTrue(x.hostSockets() instanceof SharedReaderHostHarvester);
            }
            for (AgentPair.Side[] pair : sides) {
                pair[0].awaitState(IceConnectionState.CONNECTED);
                pair[1].awaitState(IceConnectionState.CONNECTED);
            }
            assertEquals(20, reader.openSockets());
            assertEquals(readersBefore, ice4jReaders(), "no ice4j reader thread for these sockets");
            // A DTLS record (first byte 20..63, RFC 7983) goes from each controlling agent to its peer.
            for (int i = 0; i < 10; i++) {
                IceAgent x = agents.get(2 * i);
                IceAgent y = agents.get(2 * i + 1);
                byte[] record = {23, (byte) 0xfe, (byte) 0xfd, (byte) i};
                x.transport().send(record, 0, record.length);
                ByteBuffer got = null;
                long deadline = System.nanoTime() + AgentPair.WAIT.toNanos();
                while (got == null && System.nanoTime() < deadline) {
                    got = y.transport().poll();
                    if (got == null) {
                        Thread.sleep(5);
                    }
                }
                byte[] bytes = new byte[got.remaining()];
                got.get(bytes);
                assertArrayEquals(record, bytes);
            }
        } finally {
            agents.forEach(IceAgent::close);
        }
    }

    @Test
    void closingTheAgentsClosesTheirSockets() throws Exception {
        try (SharedUdpReader reader = SharedUdpReader.open()) {
            IceOptions options = AgentPair.loopbackOptions().toBuilder().sharedUdpReader(reader).build();
            IceAgent x = IceAgent.create(options, IceRole.CONTROLLING, new AgentPair.Side());
            IceAgent y = IceAgent.create(options, IceRole.CONTROLLED, new AgentPair.Side());
            x.startGathering();
            y.startGathering();
            assertEquals(2, reader.openSockets());
            x.close();
            assertEquals(1, reader.openSockets());
            y.close();
            assertEquals(0, reader.openSockets());
        }
    }

    @Test
    void withAStunServerTheAgentKeepsIce4jsReader() throws Exception {
        try (SharedUdpReader reader = SharedUdpReader.open()) {
            IceOptions options = AgentPair.loopbackOptions().toBuilder().sharedUdpReader(reader)
                    .iceServer(IceServer.stun("stun:127.0.0.1:9")).build();
            try (IceAgent agent = IceAgent.create(options, IceRole.CONTROLLING, new AgentPair.Side())) {
                agent.startGathering();
                assertTrue(agent.hostSockets() instanceof LoopbackCapableHostHarvester);
                assertEquals(0, reader.openSockets());
            }
        }
    }
}
