package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * 200 Java clients against one server factory whose 200 connections share one UDP port
 * ({@link RtcConfiguration.Builder#udpMux(int)}), each echoing a message on its data channel.
 */
class UdpMuxManyConnectionsTest {

    private static final int CONNECTIONS = 200;

    @Test
    void twoHundredServerConnectionsShareOnePortAndAFixedSetOfThreads() throws Exception {
        ThreadCensus census = new ThreadCensus();
        UdpMuxScale.Figures f = UdpMuxScale.run(CONNECTIONS, true);
        System.out.println(f.summary());

        assertEquals(CONNECTIONS, f.echoed());
        assertEquals(1, f.serverCandidatePorts().size(), "every server candidate carries the one port");
        // One socket on that port (one local address: 127.0.0.1), after 25 connections as after 200.
        assertEquals(1, f.serverPortSocketsAtFirstWave());
        assertEquals(1, f.serverPortSocketsAtEnd());
        // The mux's threads: one reader (one local address) and one STUN thread, at 25 as at 200.
        assertEquals(2, f.muxThreadsAtFirstWave());
        assertEquals(2, f.muxThreadsAtEnd());
        // ice4j's per-socket readers belong to the clients only (one host socket each); the server adds none.
        assertEquals(CONNECTIONS, f.ice4jConnectorThreads());

        // Closed server connections leave no ufrag and no route on the (still open) mux.
        assertEquals(0, f.muxConnectionsAfterClose());
        assertEquals(0, f.muxRoutesAfterClose());

        Set<String> left = census.awaitNoNewThreads(Duration.ofSeconds(30));
        assertEquals(Set.of(), left, "threads left after both factories closed");
        assertEquals(0, UdpMuxScale.udpSocketsOnPorts(f.serverCandidatePorts()), "the mux's socket is closed");
    }
}
