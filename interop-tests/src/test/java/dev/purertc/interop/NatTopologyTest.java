package dev.purertc.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.PeerConnectionState;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCDataChannelInit;
import dev.purertc.channel.RTCSessionDescription;
import dev.purertc.channel.RTCStats;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;
import dev.purertc.ice.IceServer;

/**
 * A Java server on one UDP port (udpMux) in a "server" namespace, reached from a "client" namespace through a
 * "router" namespace that masquerades ({@link NatTopology}): by headless Chromium and by a Java client, and,
 * with the server announcing the router's DNAT'ed outside address, by Chromium through that address alone;
 * and, with the client's UDP dropped, by a Java client through coturn in the server namespace by TURN over
 * TCP and over TLS, and by Chromium through the server's ICE-TCP port.
 * Signaling is one complete description each way; only candidates inside 198.18.0.0/15 are passed on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NatTopologyTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private BrowserPeer browser;
    private NatTopology topology;
    private int nextPc;

    @BeforeAll
    void start() {
        BrowserAssumptions.assumeInstalled(BrowserKind.CHROMIUM);
        NatTopology.assumeInstalled();
        // The browser starts while the namespace is still lo-only (Browsers.launch insists); the client's link
        // to the router comes after, and leads nowhere but the router.
        browser = Browsers.launch(BrowserKind.CHROMIUM);
        browser.call("getUserMedia", "audio", true);
        topology = NatTopology.build();
    }

    @AfterAll
    void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (topology != null) {
                topology.close();
            }
        }
    }

    @Test
    @Order(1)
    void javaClientReachesTheServersOnePortThroughTheMasqueradingRouter() throws Exception {
        try (NatServerProcess server = new NatServerProcess(topology, NatTopology.SERVER);
             PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            PureRtcPeer client = new PureRtcPeer(factory, RtcConfiguration.builder(),
                    HostAddressFilter.exactly(Set.of(InetAddress.getByName(NatTopology.CLIENT))));
            try (client) {
                RTCDataChannel chat = client.pc.createDataChannel("chat", RTCDataChannelInit.defaults(), client);
                client.pc.setLocalDescription(client.pc.createOffer().get(10, TimeUnit.SECONDS))
                        .get(10, TimeUnit.SECONDS);
                client.await(e -> e.type().equals("gatheringstate") && "COMPLETE".equals(e.text()), WAIT);
                String answer = server.answer(client.pc.localDescription().sdp());
                List<String> serverCandidates = candidateAddresses(answer);
                client.pc.setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.ANSWER, answer))
                        .get(10, TimeUnit.SECONDS);
                client.await(e -> e.is("open", chat), WAIT);
                assertEquals("CONNECTED " + NatTopology.ROUTER_SERVER_SIDE, server.awaitLine("CONNECTED ", WAIT)
                        .replaceAll(" [0-9]+$", ""), "the server sees the client as the router's address");
                int port = Integer.parseInt(serverCandidates.get(0).split(":")[1]);
                assertEquals(List.of(NatTopology.SERVER + ":" + port), serverCandidates);

                chat.send("through the NAT");
                assertEquals("through the NAT", client.await(e -> e.is("message", chat), WAIT).text());
                byte[] payload = new byte[65536];
                for (int i = 0; i < payload.length; i++) {
                    payload[i] = (byte) (i * 31);
                }
                chat.send(payload);
                assertArrayEquals(payload, client.await(e -> e.is("message", chat) && e.data() != null, WAIT).data());
                RTCStats remote = client.pc.getStats().get(10, TimeUnit.SECONDS).get("CR").orElseThrow();
                assertEquals(NatTopology.SERVER, remote.members().get("address"));
                assertEquals((long) port, remote.members().get("port"));
            }
        }
    }

    @Test
    @Order(2)
    void chromiumReachesTheServersOnePortThroughTheMasqueradingRouter() throws Exception {
        try (NatServerProcess server = new NatServerProcess(topology, NatTopology.SERVER)) {
            JsonNode stats = connectBrowser(server);
            JsonNode remote = BrowserStats.selectedPair(stats)[2];
            assertEquals(NatTopology.SERVER, BrowserStats.address(remote), remote.toString());
        }
    }

    @Test
    @Order(3)
    void chromiumReachesAServerBehindOneToOneNatThroughTheAnnouncedOutsideAddressOnly() throws Exception {
        try (NatServerProcess server = new NatServerProcess(topology, NatTopology.SERVER, "ANNOUNCE",
                NatTopology.OUTSIDE)) {
            JsonNode stats = connectBrowser(server);
            JsonNode remote = BrowserStats.selectedPair(stats)[2];
            assertEquals(NatTopology.OUTSIDE, BrowserStats.address(remote), remote.toString());
            List<String> remoteAddresses = new ArrayList<>();
            for (JsonNode r : stats) {
                if (r.path("type").asText().equals("remote-candidate")) {
                    remoteAddresses.add(BrowserStats.address(r));
                }
            }
            assertEquals(List.of(NatTopology.OUTSIDE), remoteAddresses.stream().distinct().toList(),
                    "the browser knows the server by the outside address only");
        }
    }

    @Test
    @Order(4)
    void javaClientWhoseNetworkDropsUdpConnectsByTurnOverTcp() throws Exception {
        NatTurnServer.assumeInstalled();
        try (NatTurnServer turn = new NatTurnServer(topology)) {
            connectJavaClientThroughTurn(RtcConfiguration.builder()
                    .iceServer(IceServer.turn(NatTurnServer.USER, NatTurnServer.PASSWORD, turn.tcpUrl())));
        }
    }

    @Test
    @Order(5)
    void javaClientWhoseNetworkDropsUdpConnectsByTurnOverTlsTrustingTheServersCertificate() throws Exception {
        NatTurnServer.assumeInstalled();
        try (NatTurnServer turn = new NatTurnServer(topology)) {
            connectJavaClientThroughTurn(RtcConfiguration.builder()
                    .iceServer(IceServer.turn(NatTurnServer.USER, NatTurnServer.PASSWORD, turn.tlsUrl()))
                    .turnTlsTrust(turn.certificate()));
        }
    }

    /**
     * With every UDP datagram from the client's link dropped (and counted), a Java client with a host candidate
     * and a TURN server reached over a stream connects to the Java server: only the relayed pair can work, the
     * server sees the relay's address, and 64 KiB echo through it.
     */
    private void connectJavaClientThroughTurn(RtcConfiguration.Builder config) throws Exception {
        try (NatServerProcess server = new NatServerProcess(topology, NatTopology.SERVER);
             NatTopology.UdpBlock udpBlocked = topology.blockClientUdp();
             PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            PureRtcPeer client = new PureRtcPeer(factory, config,
                    HostAddressFilter.exactly(Set.of(InetAddress.getByName(NatTopology.CLIENT))));
            try (client) {
                RTCDataChannel chat = client.pc.createDataChannel("chat", RTCDataChannelInit.defaults(), client);
                client.pc.setLocalDescription(client.pc.createOffer().get(10, TimeUnit.SECONDS))
                        .get(10, TimeUnit.SECONDS);
                client.await(e -> e.type().equals("gatheringstate") && "COMPLETE".equals(e.text()), WAIT);
                String offer = client.pc.localDescription().sdp();
                assertTrue(offer.contains(" typ relay"), "no relayed candidate: " + offer);
                String answer = server.answer(offer);
                client.pc.setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.ANSWER, answer))
                        .get(10, TimeUnit.SECONDS);
                client.await(e -> e.is("open", chat), WAIT);
                String[] seen = server.awaitLine("CONNECTED ", WAIT).split(" ");
                assertEquals(NatTopology.SERVER, seen[1], "the server sees the relay");
                int relayPort = Integer.parseInt(seen[2]);
                assertTrue(relayPort >= 49160 && relayPort <= 49200, "relay port " + relayPort);
                RTCStats local = client.pc.getStats().get(10, TimeUnit.SECONDS).get("CL").orElseThrow();
                assertEquals("relay", local.members().get("candidateType"));
                assertEquals((long) relayPort, local.members().get("port"));

                byte[] payload = new byte[65536];
                for (int i = 0; i < payload.length; i++) {
                    payload[i] = (byte) (i * 7);
                }
                chat.send(payload);
                assertArrayEquals(payload, client.await(e -> e.is("message", chat) && e.data() != null, WAIT).data());
                assertTrue(udpBlocked.dropped() > 0, "the client's UDP checks were dropped");
            }
        }
    }

    @Test
    @Order(6)
    void chromiumWhoseNetworkDropsUdpReachesTheServersIceTcpPortThroughTheRouter() throws Exception {
        try (NatServerProcess server = new NatServerProcess(topology, NatTopology.SERVER, "ICETCP");
             NatTopology.UdpBlock udpBlocked = topology.blockClientUdp()) {
            JsonNode stats = connectBrowser(server);
            int tcpPort = server.iceTcpPort();
            JsonNode[] pair = BrowserStats.selectedPair(stats);
            assertEquals("tcp", pair[2].path("protocol").asText(), pair[2].toString());
            assertEquals(NatTopology.SERVER, BrowserStats.address(pair[2]), pair[2].toString());
            assertEquals(tcpPort, pair[2].path("port").asInt(), pair[2].toString());
            assertTrue(udpBlocked.dropped() > 0, "the browser's UDP checks were dropped");
        }
    }

    /**
     * Chromium offers (its complete description, 198.18.x candidates only), the server answers, the chat channel
     * opens and echoes; returns the browser's getStats. Asserts the server saw the router's masqueraded address.
     */
    private JsonNode connectBrowser(NatServerProcess server) throws Exception {
        String pc = "nat" + ++nextPc;
        String channel = pc + "-chat";
        browser.call("createPeerConnection", "pc", pc, "echo", false);
        browser.call("createDataChannel", "pc", pc, "channel", channel, "label", "chat");
        browser.call("setLocalDescription", "pc", pc, "type", "offer",
                "sdp", browser.call("createOffer", "pc", pc).get("sdp").asText());
        String offer = onlyTopologyCandidates(browser.call("completeLocalDescription", "pc", pc).get("sdp").asText());
        assertEquals(List.of(NatTopology.CLIENT), candidateAddresses(offer).stream()
                .map(a -> a.split(":")[0]).distinct().toList(), "the browser's candidates passed on: " + offer);
        String answer = server.answer(offer);
        browser.call("setRemoteDescription", "pc", pc, "type", "answer", "sdp", answer);
        browser.awaitEvent(e -> e.is("open", "channel", channel), WAIT);
        assertEquals("CONNECTED " + NatTopology.ROUTER_SERVER_SIDE,
                server.awaitLine("CONNECTED ", WAIT).replaceAll(" [0-9]+$", ""),
                "the server sees the browser as the router's address");
        browser.call("send", "channel", channel, "text", "through the NAT");
        assertEquals("through the NAT", browser.awaitEvent(e -> e.is("message", "channel", channel), WAIT)
                .text("text"));
        JsonNode stats = browser.call("getStats", "pc", pc);
        browser.call("closePeerConnection", "pc", pc);
        return stats;
    }

    /**
     * {@code sdp} without candidates outside 198.18.0.0/15 (loopback, mDNS names): nothing else is reachable.
     * Active TCP candidates (port 9) stay: the server never dials them.
     */
    private static String onlyTopologyCandidates(String sdp) {
        StringBuilder kept = new StringBuilder();
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=candidate:")) {
                String[] f = line.split(" ");
                if (!f[4].startsWith("198.18.")) {
                    continue;
                }
            }
            kept.append(line).append("\r\n");
        }
        return kept.toString();
    }

    /** {@code address:port} of every candidate line in {@code sdp}. */
    private static List<String> candidateAddresses(String sdp) {
        List<String> addresses = new ArrayList<>();
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=candidate:")) {
                String[] f = line.split(" ");
                addresses.add(f[4] + ":" + f[5]);
            }
        }
        return addresses;
    }
}
