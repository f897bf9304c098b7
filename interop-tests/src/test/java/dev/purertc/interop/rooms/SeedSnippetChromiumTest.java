package dev.purertc.interop.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.channel.RTCSessionDescription;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;
import dev.purertc.interop.InteropMatrix;
import dev.purertc.rooms.GraphscriptJson;
import dev.purertc.rooms.Room;
import dev.purertc.rooms.RoomOptions;
import dev.purertc.rooms.ServiceRoutes;
import dev.purertc.rooms.WebRtcRooms;
import dev.purertc.signaling.SignalingClient;
import dev.purertc.signaling.SignalingClientOptions;
import dev.purertc.signaling.SignalingListener;
import dev.purertc.signaling.SignalingMessage;
import dev.purertc.signaling.SignalingServer;
import dev.purertc.signaling.SignalingServerOptions;

/**
 * Issue 12: the seed document's snippet, written with its own names, in headless Chromium on PureRTC's
 * browser module against a Java room, with only its socket replaced by the project's WebSocket client
 * (plain relayed {@code message}s). The host opens a room and sends {@code _id}, {@code hostdescription},
 * {@code hostcandidates}; the peer opens its room with that ({@code openRTC(hostinfo)}) and answers with
 * {@code peerdescription}, {@code peercandidates}; the host calls {@code answerPeer}; candidates found
 * after a side sent its description go one by one to {@code addIceCandidate}. Once with the page as the
 * host and Java as the peer, once the other way round.
 */
@InteropMatrix(peer = "chromium", direction = "seed snippet")
@Timeout(120)
class SeedSnippetChromiumTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    private static SignalingServer server;
    private static PeerConnectionFactory factory;
    private static CdpChromium chromium;

    /** A freed user id stays reserved for its holder for a while: each test registers its own. */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_USER = new java.util.concurrent.atomic.AtomicInteger();

    private WebRtcRooms rooms;
    private String javaUser;
    private SignalingClient java;
    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(CdpChromium.isInstalled(), "chromium is not installed (apt-get install -y chromium)");
        server = SignalingServer.start(SignalingServerOptions.builder()
                .staticResources(Map.of("/", "/dev/purertc/interop/rooms/js-rooms.html")).build());
        factory = new PeerConnectionFactory(1);
        chromium = CdpChromium.launch();
    }

    @AfterAll
    static void stop() {
        try {
            if (chromium != null) {
                chromium.close();
                assertEquals(List.of(), chromium.groupMembers(), "every chromium process is gone");
            }
        } finally {
            if (factory != null) {
                factory.close();
            }
            if (server != null) {
                server.close();
            }
        }
    }

    @BeforeEach
    void javaSide() throws Exception {
        rooms = new WebRtcRooms(factory, RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build(),
                new ServiceRoutes());
        java = SignalingClient.connect(server.websocketUri(), SignalingClientOptions.builder(new SignalingListener() {
            @Override
            public void onMessage(SignalingMessage m) {
                inbox.add(m.json());
            }
        }).build()).get(30, TimeUnit.SECONDS);
        javaUser = "java-" + NEXT_USER.incrementAndGet();
        java.register(javaUser).get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeJavaSide() {
        if (rooms != null) {
            rooms.close();
        }
        if (java != null) {
            java.close();
        }
    }

    /** A tab with microphone permission (else Chromium gathers no loopback candidate), registered as {@code user}. */
    private CdpPage page(String user) throws Exception {
        CdpPage page = chromium.open(server.httpUri("/").toString());
        page.waitFor("window.ready === true", BOUND);
        assertTrue(page.eval("(async () => {"
                + " try { (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks().forEach((t) => t.stop()); } catch (e) {}"
                + " window.socket = await purertc.SignalingClient.connect(`ws://${location.host}/ws`);"
                + " await socket.register('" + user + "');"
                + " window.webrtc = new purertc.WebRtcRooms({ iceServers: [] });"
                + " window.received = []; window.sent = false; window.javaUser = '" + javaUser + "'; return true; })()").asBoolean());
        return page;
    }

    private JsonNode next(String field) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            JsonNode m = inbox.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no message with " + field + " within " + BOUND);
            }
            if (m.has(field)) {
                return m;
            }
            throw new AssertionError("expected a message with " + field + ", got " + m);
        }
    }

    @Test
    void thePageHostsAndAJavaRoomIsThePeer() throws Exception {
        CdpPage page = page("seed-host-" + javaUser);
        // The seed's host half, verbatim but for the socket.
        String id = page.eval("(async () => {"
                + " socket.onmessage = async (msg) => {"
                + "   if (msg.peerdescription) await webrtc.answerPeer(window.room, { peerdescription: msg.peerdescription, peercandidates: msg.peercandidates });"
                + "   else if (msg.candidate) await webrtc.addIceCandidate(window.room, msg.candidate);"
                + " };"
                + " window.room = await webrtc.openRTC({"
                + "   onicecandidate: (ev) => { if (ev.candidate && window.sent) socket.send(javaUser, 'message', { _id: room._id, candidate: ev.candidate.toJSON() }); },"
                + "   ondata: (ev) => received.push(ev.data),"
                + " });"
                + " const out = socket.send(javaUser, 'message', { _id: room._id, hostdescription: room.hostdescription, hostcandidates: room.hostcandidates });"
                + " window.sent = true; await out; return room._id; })()").asText();

        JsonNode hostInfo = next("hostdescription");
        assertEquals(id, hostInfo.get("_id").asText());
        assertEquals("offer", hostInfo.get("hostdescription").get("type").asText());
        BlockingQueue<Object> atJava = new LinkedBlockingQueue<>();
        SeedCandidates javaCandidates = new SeedCandidates(java, "seed-host-" + javaUser, id);
        Room peer = rooms.openRTC(RoomOptions.fromJson(hostInfo)
                .onIceCandidate((r, c) -> javaCandidates.found(c))
                .onData((message, channel, r) -> atJava.add(message)).build()).get(30, TimeUnit.SECONDS);
        ObjectNode answer = GraphscriptJson.MAPPER.createObjectNode();
        answer.put("_id", peer.id());
        answer.set("peerdescription", GraphscriptJson.descriptionJson(peer.peerDescription()));
        answer.set("peercandidates", javaCandidates.withDescription(peer.peerCandidates()));
        java.send("seed-host-" + javaUser, "message", answer).get(30, TimeUnit.SECONDS);
        pumpLateCandidates(peer);

        page.waitFor("room.channels.data && room.channels.data.readyState === 'open'", BOUND);
        peer.opened().get(30, TimeUnit.SECONDS);
        page.eval("room.send('from the seed host'); true");
        assertEquals("from the seed host", atJava.poll(30, TimeUnit.SECONDS));
        peer.send("from the Java peer");
        assertEquals("[\"from the Java peer\"]", page.waitFor("received.length === 1 && JSON.stringify(received)", BOUND).asText());

        // The page's room under the seed's names, and Java's.
        assertEquals("answer", page.eval("room.peerdescription.type").asText());
        assertEquals(true, page.eval("room.rtcTransmit === room.rtc && room.rtcReceive === room.rtc"
                + " && webrtc.rtc === webrtc.rooms && room.hostcandidates === room.candidates").asBoolean());
        assertEquals(hostInfo.get("hostdescription").get("sdp").asText(), peer.hostDescription().sdp());
        assertEquals(RTCSessionDescription.Type.ANSWER, peer.peerDescription().type());
        for (RTCIceCandidate c : peer.hostCandidates()) {
            assertTrue(c.candidate().contains(" 127.0.0.1 ") || c.candidate().contains(" ::1 "), "not loopback: " + c);
        }
        assertTrue(!peer.hostCandidates().isEmpty(), "the page's candidates reached the Java peer");
        page.eval("webrtc.terminate(room); true");
        peer.closed().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aJavaRoomHostsAndThePageIsThePeer() throws Exception {
        CdpPage page = page("seed-peer-" + javaUser);
        // The seed's peer half, verbatim but for the socket.
        page.eval("(() => {"
                + " socket.onmessage = async (msg) => {"
                + "   if (msg.hostdescription) {"
                + "     const hostinfo = { _id: msg._id, hostdescription: msg.hostdescription, hostcandidates: msg.hostcandidates };"
                + "     window.room = await webrtc.openRTC(Object.assign(hostinfo, {"
                + "       onicecandidate: (ev) => { if (ev.candidate && window.sent) socket.send(javaUser, 'message', { _id: hostinfo._id, candidate: ev.candidate.toJSON() }); },"
                + "       ondata: (ev) => received.push(ev.data),"
                + "     }));"
                + "     const out = socket.send(javaUser, 'message', { _id: room._id, peerdescription: room.peerdescription, peercandidates: room.peercandidates });"
                + "     window.sent = true; await out;"
                + "   } else if (msg.candidate) await webrtc.addIceCandidate(msg._id, msg.candidate);"
                + " };"
                + " return true; })()");

        BlockingQueue<Object> atJava = new LinkedBlockingQueue<>();
        SeedCandidates javaCandidates = new SeedCandidates(java, "seed-peer-" + javaUser, null);
        Room host = rooms.openRTC(RoomOptions.builder()
                .onIceCandidate((r, c) -> javaCandidates.found(c))
                .onData((message, channel, r) -> atJava.add(message)).build()).get(30, TimeUnit.SECONDS);
        javaCandidates.id = host.id();
        ObjectNode hostInfo = GraphscriptJson.MAPPER.createObjectNode();
        hostInfo.put("_id", host.id());
        hostInfo.set("hostdescription", GraphscriptJson.descriptionJson(host.hostDescription()));
        hostInfo.set("hostcandidates", javaCandidates.withDescription(host.hostCandidates()));
        java.send("seed-peer-" + javaUser, "message", hostInfo).get(30, TimeUnit.SECONDS);

        JsonNode peerInfo = next("peerdescription");
        assertEquals(host.id(), peerInfo.get("_id").asText());
        assertEquals("answer", peerInfo.get("peerdescription").get("type").asText());
        rooms.answerPeer(host, RoomOptions.fromJson(peerInfo).build()).get(30, TimeUnit.SECONDS);
        pumpLateCandidates(host);

        host.opened().get(30, TimeUnit.SECONDS);
        page.waitFor("room.channels.data && room.channels.data.readyState === 'open'", BOUND);
        host.send("from the Java host");
        assertEquals("[\"from the Java host\"]", page.waitFor("received.length === 1 && JSON.stringify(received)", BOUND).asText());
        page.eval("room.send('from the seed peer'); true");
        assertEquals("from the seed peer", atJava.poll(30, TimeUnit.SECONDS));

        assertEquals(true, page.eval("room.hostdescription.type === 'offer' && room.peerdescription.type === 'answer'"
                + " && room.peercandidates === room.candidates && room.rtcTransmit === room.rtc && room.rtcReceive === room.rtc"
                + " && webrtc.rtc['" + host.id() + "'] === room").asBoolean());
        assertEquals(peerInfo.get("peerdescription").get("sdp").asText(), host.peerDescription().sdp());
        assertEquals(RTCSessionDescription.Type.OFFER, host.hostDescription().type());
        host.terminate();
        page.waitFor("!webrtc.rooms['" + host.id() + "']", BOUND);
    }

    /** Applies the page's late candidates (sent one by one after its description) to {@code room} until it is open. */
    private void pumpLateCandidates(Room room) {
        CompletableFuture.runAsync(() -> {
            while (!room.closed().isDone()) {
                try {
                    JsonNode m = inbox.poll(100, TimeUnit.MILLISECONDS);
                    if (m != null && m.has("candidate")) {
                        RTCIceCandidate c = GraphscriptJson.toCandidate(m.get("candidate"));
                        if (c.candidate().contains(" 127.0.0.1 ") || c.candidate().contains(" ::1 ")) {
                            rooms.addIceCandidate(room, c); // never anything but loopback
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Java's candidates: those known when its description leaves go with it, later ones one by one. */
    private static final class SeedCandidates {
        private final SignalingClient socket;
        private final String to;
        volatile String id;
        private final List<String> withDescription = new ArrayList<>();
        private final List<RTCIceCandidate> early = new ArrayList<>();
        private boolean sent;

        SeedCandidates(SignalingClient socket, String to, String id) {
            this.socket = socket;
            this.to = to;
            this.id = id;
        }

        synchronized ObjectNode withDescription(List<RTCIceCandidate> known) {
            ObjectNode map = GraphscriptJson.MAPPER.createObjectNode();
            for (RTCIceCandidate c : known) {
                map.set("candidate" + withDescription.size(), GraphscriptJson.candidateJson(c));
                withDescription.add(c.candidate());
            }
            sent = true;
            return map;
        }

        synchronized void found(RTCIceCandidate c) {
            if (!sent || c.isEndOfCandidates() || withDescription.contains(c.candidate())) {
                return; // it goes with the description (the seed sends no end-of-candidates)
            }
            ObjectNode m = GraphscriptJson.MAPPER.createObjectNode();
            m.put("_id", id);
            m.set("candidate", GraphscriptJson.candidateJson(c));
            socket.send(to, "message", m);
        }
    }
}
