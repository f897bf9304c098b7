package dev.purertc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TURN over TCP ({@code turn:…?transport=tcp}) and TLS ({@code turns:}) through coturn on 127.0.0.1 that
 * listens for clients on TCP and TLS only ({@code --no-udp}): a relayed candidate from it can only have been
 * allocated over a stream. Skipped, loudly, where coturn or openssl is not installed.
 */
class TurnOverStreamTest {

    private static StreamTurnServer turn;

    @BeforeAll
    static void startCoturn() throws Exception {
        assumeTrue(StreamTurnServer.installed(), "coturn or openssl not installed (apt-get install coturn openssl)");
        turn = new StreamTurnServer();
    }

    @AfterAll
    static void stopCoturn() throws Exception {
        if (turn != null) {
            turn.close();
        }
    }

    private static IceOptions relayOnly(String url, TurnTlsTrust trust) {
        return AgentPair.loopbackOptions().toBuilder()
                .iceServer(IceServer.turn(LocalTurnServer.USER, LocalTurnServer.PASSWORD, url))
                .transportPolicy(IceTransportPolicy.RELAY)
                .turnTlsTrust(trust)
                .build();
    }

    @Test
    void relayOnlyAgentConnectsThroughTurnOverTcpAndDataFlowsBothWays() throws Exception {
        connectThroughRelayAndEcho(relayOnly(turn.tcpUrl(), TurnTlsTrust.JDK_DEFAULT));
    }

    /** The stream lives as long as the agent: closing the agent closes its TCP connection to the server. */
    @Test
    void closingTheAgentClosesItsStreamToTheServer() throws Exception {
        Set<String> before = threadNames();
        AgentPair.Side side = new AgentPair.Side();
        try (IceAgent agent = IceAgent.create(relayOnly(turn.tcpUrl(), TurnTlsTrust.JDK_DEFAULT),
                IceRole.CONTROLLING, side)) {
            agent.startGathering();
            assertTrue(side.endOfCandidates.await(30, TimeUnit.SECONDS), "gathering did not end within 30 s");
            assertEquals(1, side.localCandidates.size(), side.localCandidates.toString());
            assertEquals(1, establishedConnectionsTo(turn.tcpPort), "one stream per agent and TURN URL");
            Set<String> added = threadNames();
            added.removeAll(before);
            System.out.println("TURN over TCP, one relay-only agent after gathering: threads added " + added.size()
                    + " " + added);
        }
        assertTrue(AgentPair.eventually(turn.tcpPort, port -> establishedConnectionsTo(port) == 0, AgentPair.WAIT),
                "the agent's TCP connection to the TURN server outlived close()");
    }

    private static Set<String> threadNames() {
        Set<String> names = new java.util.TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            names.add(t.getName() + "#" + t.getId());
        }
        return names;
    }

    /** ESTABLISHED TCP connections of this network namespace whose remote port is {@code port}. */
    private static int establishedConnectionsTo(int port) {
        try {
            int count = 0;
            List<String> lines = new java.util.ArrayList<>();
            // The JDK's sockets are IPv6 ones (a v4-mapped 127.0.0.1) where the kernel has IPv6: read both tables.
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                java.nio.file.Path path = java.nio.file.Path.of(table);
                if (java.nio.file.Files.exists(path)) {
                    lines.addAll(java.nio.file.Files.readAllLines(path));
                }
            }
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[2].contains(":") && f[3].equals("01")
                        && Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16) == port) {
                    count++;
                }
            }
            return count;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void relayOnlyAgentConnectsThroughTurnOverTlsTrustingTheServersSelfSignedCertificate() throws Exception {
        connectThroughRelayAndEcho(relayOnly(turn.tlsUrl(), TurnTlsTrust.fromPem(turn.certificate())));
    }

    /** The server's certificate is not one the JDK's CAs vouch for: no allocation, so no candidate at all. */
    @Test
    void turnOverTlsRefusesACertificateOutsideTheConfiguredTrust() throws Exception {
        assertEquals(List.of(), gatherOnly(relayOnly(turn.tlsUrl(), TurnTlsTrust.JDK_DEFAULT)));
    }

    /** The certificate is trusted but names IP 127.0.0.1, not {@code localhost}: the host name check refuses it. */
    @Test
    void turnOverTlsChecksTheHostNameOfTheUrl() throws Exception {
        String byName = "turns:localhost:" + turn.tlsPort;
        assertEquals(List.of(), gatherOnly(relayOnly(byName, TurnTlsTrust.fromPem(turn.certificate()))));
    }

    /** Control: the same server by UDP gives nothing, so the relayed candidates above came over streams. */
    @Test
    void theServerAnswersNoTurnOverUdp() throws Exception {
        String udp = "turn:127.0.0.1:" + turn.tcpPort;
        assertEquals(List.of(), gatherOnly(relayOnly(udp, TurnTlsTrust.JDK_DEFAULT)));
    }

    @Test
    void turnOverDtlsAndStunOverTlsAreRefusedWithAReason() {
        IceOptions dtls = relayOnly("turns:127.0.0.1:" + turn.tlsPort + "?transport=udp", TurnTlsTrust.JDK_DEFAULT);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> IceAgent.create(dtls, IceRole.CONTROLLING, new AgentPair.Side()));
        assertTrue(e.getMessage().contains("TURN over DTLS are not wired"), e.getMessage());
        IceOptions stuns = AgentPair.loopbackOptions().toBuilder()
                .iceServer(IceServer.stun("stuns:127.0.0.1:" + turn.tlsPort)).build();
        e = assertThrows(UnsupportedOperationException.class,
                () -> IceAgent.create(stuns, IceRole.CONTROLLING, new AgentPair.Side()));
        assertTrue(e.getMessage().contains("stuns:"), e.getMessage());
    }

    /** Gathers with {@code options} and returns the candidates announced before the end of candidates. */
    private static List<String> gatherOnly(IceOptions options) throws Exception {
        AgentPair.Side side = new AgentPair.Side();
        try (IceAgent agent = IceAgent.create(options, IceRole.CONTROLLING, side)) {
            agent.startGathering();
            assertTrue(side.endOfCandidates.await(60, TimeUnit.SECONDS), "gathering did not end within 60 s");
            return List.copyOf(side.localCandidates);
        }
    }

    private static void connectThroughRelayAndEcho(IceOptions relayOnly) throws Exception {
        AgentPair.Side a = new AgentPair.Side();
        AgentPair.Side b = new AgentPair.Side();
        try (IceAgent x = IceAgent.create(relayOnly, IceRole.CONTROLLING, a);
             IceAgent y = IceAgent.create(AgentPair.loopbackOptions(), IceRole.CONTROLLED, b)) {
            x.setRemoteCredentials(y.localCredentials());
            y.setRemoteCredentials(x.localCredentials());
            x.startGathering();
            y.startGathering();
            assertTrue(a.endOfCandidates.await(30, TimeUnit.SECONDS), "gathering did not end within 30 s");
            assertEquals(1, a.localCandidates.size(), a.localCandidates + "\n" + turn.log());
            String[] relay = a.localCandidates.get(0).split(" ");
            assertEquals("relay", relay[7]);
            assertEquals("udp", relay[2].toLowerCase(java.util.Locale.ROOT));
            int relayPort = Integer.parseInt(relay[5]);
            assertTrue(relayPort >= turn.relayMin && relayPort <= turn.relayMax, a.localCandidates.get(0));

            AgentPair.feed(y, a.localCandidates);
            AgentPair.feed(x, b.localCandidates);
            a.awaitState(IceConnectionState.CONNECTED);
            b.awaitState(IceConnectionState.CONNECTED);
            assertEquals("relay", x.selectedPair().localType());
            assertEquals(relayPort, x.selectedPair().local().getPort());
            assertEquals(relayPort, y.selectedPair().remote().getPort());

            BlockingQueue<byte[]> atX = new LinkedBlockingQueue<>();
            BlockingQueue<byte[]> atY = new LinkedBlockingQueue<>();
            x.transport().setReceiver((d, o, l, s) -> atX.add(Arrays.copyOfRange(d, o, o + l)));
            y.transport().setReceiver((d, o, l, s) -> atY.add(Arrays.copyOfRange(d, o, o + l)));
            // DTLS-looking records of every length modulo 4, so ChannelData padding on the stream is exercised.
            for (int length = 13; length <= 16; length++) {
                byte[] hello = new byte[length];
                hello[0] = 22;
                hello[1] = (byte) 0xFE;
                hello[2] = (byte) 0xFD;
                hello[length - 1] = (byte) length;
                x.transport().send(hello, 0, hello.length);
                assertArrayEquals(hello, atY.poll(20, TimeUnit.SECONDS), "x to y, " + length + " bytes");
                byte[] reply = Arrays.copyOf(hello, length + 1);
                y.transport().send(reply, 0, reply.length);
                assertArrayEquals(reply, atX.poll(20, TimeUnit.SECONDS), "y to x, " + (length + 1) + " bytes");
            }
            byte[] large = new byte[1200];
            large[0] = 23;
            large[1] = (byte) 0xFE;
            large[2] = (byte) 0xFD;
            for (int i = 3; i < large.length; i++) {
                large[i] = (byte) i;
            }
            for (int i = 0; i < 50; i++) {
                x.transport().send(large, 0, large.length);
            }
            for (int i = 0; i < 50; i++) {
                assertArrayEquals(large, atY.poll(20, TimeUnit.SECONDS), "datagram " + i + " of 50");
            }
        }
    }
}
