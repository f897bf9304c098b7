package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;
import dev.purertc.rooms.CallRefusal;
import dev.purertc.rooms.GraphscriptJson;
import dev.purertc.rooms.Room;
import dev.purertc.rooms.RoomOptions;
import dev.purertc.rooms.ServiceRoutes;
import dev.purertc.rooms.WebRtcRooms;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls in graphscript's shapes through the relay (receiveCallInformation / answerPeer), real peers on 127.0.0.1. */
class GraphscriptCallsTest {

    private static final long WAIT_S = 30;

    private SignalingServer server;
    private PeerConnectionFactory factory;
    private RtcConfiguration loopback;
    private WebRtcRooms javaRooms;
    private SignalingClient javaClient;
    private GraphscriptCalls javaCalls;

    @BeforeEach
    void setUp() throws Exception {
        server = SignalingServer.start(SignalingServerOptions.defaults());
        factory = new PeerConnectionFactory(1);
        loopback = RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build();
        ServiceRoutes routes = new ServiceRoutes();
        routes.remote("add", call -> call.arg(0, Integer.class) + call.arg(1, Integer.class));
        javaRooms = new WebRtcRooms(factory, loopback, routes);
        javaClient = SignalingClient.connect(server.websocketUri(),
                SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
        javaCalls = new GraphscriptCalls(javaClient, javaRooms, kept -> RoomOptions.builder().build());
        javaClient.register("javapeer").get(WAIT_S, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() {
        javaRooms.close();
        javaCalls.close();
        javaClient.close();
        factory.close();
        server.close();
    }

    @Test
    void twoJavaSidesCallEachOtherInGraphscriptShapes() throws Exception {
        ServiceRoutes callerRoutes = new ServiceRoutes();
        callerRoutes.remote("whoami", call -> "alice");
        WebRtcRooms aliceRooms = new WebRtcRooms(factory, loopback, callerRoutes);
        SignalingClient alice = SignalingClient.connect(server.websocketUri(),
                SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
        GraphscriptCalls aliceCalls = new GraphscriptCalls(alice, aliceRooms, null);
        try {
            alice.register("alice").get(WAIT_S, TimeUnit.SECONDS);
            Room a = aliceCalls.call("javapeer", RoomOptions.builder().id("rtc1").build()).get(WAIT_S, TimeUnit.SECONDS);
            a.opened().get(WAIT_S, TimeUnit.SECONDS);
            Room b = javaRooms.room("rtc1");
            b.opened().get(WAIT_S, TimeUnit.SECONDS);
            assertEquals("5", a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString());
            assertEquals("\"alice\"", b.run("whoami", null).get(WAIT_S, TimeUnit.SECONDS).toString());
            assertEquals("alice", b.property("caller"));
        } finally {
            aliceRooms.close();
            aliceCalls.close();
            alice.close();
        }
    }

    /**
     * graphscript's renegotiation: {@code run negotiateCall [_id, description]} from either side, first
     * with an ICE restart (both sides get new credentials), then without; the room keeps running.
     */
    @Test
    void renegotiationThroughNegotiateCallFromEitherSideKeepsTheRoom() throws Exception {
        WebRtcRooms aliceRooms = new WebRtcRooms(factory, loopback, new ServiceRoutes());
        SignalingClient alice = SignalingClient.connect(server.websocketUri(),
                SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
        GraphscriptCalls aliceCalls = new GraphscriptCalls(alice, aliceRooms, null);
        try {
            alice.register("alice").get(WAIT_S, TimeUnit.SECONDS);
            Room a = aliceCalls.call("javapeer", RoomOptions.builder().id("rtc9").build()).get(WAIT_S, TimeUnit.SECONDS);
            a.opened().get(WAIT_S, TimeUnit.SECONDS);
            Room b = javaRooms.room("rtc9");
            b.opened().get(WAIT_S, TimeUnit.SECONDS);
            String aUfrag = RoomUfrags.of(a.connection().localDescription());
            String bUfrag = RoomUfrags.of(b.connection().localDescription());

            aliceCalls.renegotiate("rtc9", true).get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(dev.purertc.channel.SignalingState.STABLE, a.connection().signalingState());
            assertEquals(dev.purertc.channel.SignalingState.STABLE, b.connection().signalingState());
            org.junit.jupiter.api.Assertions.assertNotEquals(aUfrag, RoomUfrags.of(a.connection().localDescription()));
            org.junit.jupiter.api.Assertions.assertNotEquals(bUfrag, RoomUfrags.of(b.connection().localDescription()));
            assertEquals("5", a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString());

            javaCalls.renegotiate("rtc9", false).get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(dev.purertc.channel.SignalingState.STABLE, a.connection().signalingState());
            assertEquals("9", a.run("add", List.of(4, 5)).get(WAIT_S, TimeUnit.SECONDS).toString());
            assertEquals(dev.purertc.channel.PeerConnectionState.CONNECTED, a.connection().connectionState());
        } finally {
            aliceRooms.close();
            aliceCalls.close();
            alice.close();
        }
    }

    /**
     * Glare, perfect negotiation with {@link Room#polite()}: an offer meeting the polite callee's own
     * unanswered offer is answered after an implicit rollback; an offer meeting the impolite caller's
     * own offer is refused, and the polite sender rolls its offer back. The room goes on either way.
     */
    @Test
    void offerCollisionsThePoliteCalleeRollsBackTheImpoliteCallerRefuses() throws Exception {
        WebRtcRooms aliceRooms = new WebRtcRooms(factory, loopback, new ServiceRoutes());
        SignalingClient alice = SignalingClient.connect(server.websocketUri(),
                SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
        GraphscriptCalls aliceCalls = new GraphscriptCalls(alice, aliceRooms, null);
        try {
            alice.register("alice").get(WAIT_S, TimeUnit.SECONDS);
            Room a = aliceCalls.call("javapeer", RoomOptions.builder().id("rtc8").build()).get(WAIT_S, TimeUnit.SECONDS);
            a.opened().get(WAIT_S, TimeUnit.SECONDS);
            Room b = javaRooms.room("rtc8");
            b.opened().get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(false, a.polite());
            assertEquals(true, b.polite());
            var stable = dev.purertc.channel.SignalingState.STABLE;
            var haveLocalOffer = dev.purertc.channel.SignalingState.HAVE_LOCAL_OFFER;

            // The polite callee has an offer out when the caller's restart offer comes: it yields.
            var politePc = b.connection();
            politePc.setLocalDescription(politePc.createOffer().join()).join();
            assertEquals(haveLocalOffer, politePc.signalingState());
            String aUfrag = RoomUfrags.of(a.connection().localDescription());
            aliceCalls.renegotiate("rtc8", true).get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(stable, a.connection().signalingState());
            assertEquals(stable, politePc.signalingState());
            org.junit.jupiter.api.Assertions.assertNotEquals(aUfrag, RoomUfrags.of(a.connection().localDescription()));

            // The impolite caller has an offer out when the callee's offer comes: it refuses, the callee rolls back.
            var impolitePc = a.connection();
            impolitePc.setLocalDescription(impolitePc.createOffer().join()).join();
            var refused = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> javaCalls.renegotiate("rtc8", false).get(WAIT_S, TimeUnit.SECONDS));
            org.junit.jupiter.api.Assertions.assertTrue(refused.getCause().getMessage().contains("glare"),
                    refused.getCause().getMessage());
            assertEquals(stable, politePc.signalingState());
            assertEquals(haveLocalOffer, impolitePc.signalingState());
            impolitePc.setLocalDescription(dev.purertc.channel.RTCSessionDescription.rollback()).join();

            assertEquals("5", a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString());
            assertEquals(dev.purertc.channel.PeerConnectionState.CONNECTED, b.connection().connectionState());
        } finally {
            aliceRooms.close();
            aliceCalls.close();
            alice.close();
        }
    }

    /** restartIce() on a room's connection, either side: negotiation-needed sends negotiateCall by itself. */
    @Test
    void restartIceOnARoomsConnectionRenegotiatesThroughTheRelayByItself() throws Exception {
        WebRtcRooms aliceRooms = new WebRtcRooms(factory, loopback, new ServiceRoutes());
        SignalingClient alice = SignalingClient.connect(server.websocketUri(),
                SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
        GraphscriptCalls aliceCalls = new GraphscriptCalls(alice, aliceRooms, null);
        try {
            alice.register("alice").get(WAIT_S, TimeUnit.SECONDS);
            java.util.concurrent.atomic.AtomicInteger seenByApplication = new java.util.concurrent.atomic.AtomicInteger();
            Room a = aliceCalls.call("javapeer", RoomOptions.builder().id("rtc7")
                    .onNegotiationNeeded(r -> seenByApplication.incrementAndGet()).build()).get(WAIT_S, TimeUnit.SECONDS);
            a.opened().get(WAIT_S, TimeUnit.SECONDS);
            Room b = javaRooms.room("rtc7");
            b.opened().get(WAIT_S, TimeUnit.SECONDS);
            int before = seenByApplication.get();

            String aUfrag = RoomUfrags.of(a.connection().localDescription());
            String bUfrag = RoomUfrags.of(b.connection().localDescription());
            a.connection().restartIce();
            RoomUfrags.awaitChange(a, aUfrag);
            RoomUfrags.awaitChange(b, bUfrag);
            assertEquals(before + 1, seenByApplication.get());
            String bSecond = RoomUfrags.of(b.connection().localDescription());
            b.connection().restartIce();
            RoomUfrags.awaitChange(b, bSecond);
            assertEquals("5", a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString());
            assertEquals(dev.purertc.channel.PeerConnectionState.CONNECTED, a.connection().connectionState());
        } finally {
            aliceRooms.close();
            aliceCalls.close();
            alice.close();
        }
    }

    /**
     * The rule that restarts ICE when a room's connection becomes disconnected, fed the state change: the
     * impolite caller restarts through the relay, the polite callee leaves it to the caller, other states
     * do nothing. (Losing the path for real, so that consent turns the state, needs a test network.)
     */
    @Test
    void aDisconnectedRoomOfTheCallerRestartsIceThroughTheRelay() throws Exception {
        WebRtcRooms aliceRooms = new WebRtcRooms(factory, loopback, new ServiceRoutes());
        SignalingClient alice = SignalingClient.connect(server.websocketUri(),
                SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
        GraphscriptCalls aliceCalls = new GraphscriptCalls(alice, aliceRooms, null);
        try {
            alice.register("alice").get(WAIT_S, TimeUnit.SECONDS);
            Room a = aliceCalls.call("javapeer", RoomOptions.builder().id("rtc6").build()).get(WAIT_S, TimeUnit.SECONDS);
            a.opened().get(WAIT_S, TimeUnit.SECONDS);
            Room b = javaRooms.room("rtc6");
            b.opened().get(WAIT_S, TimeUnit.SECONDS);
            String aUfrag = RoomUfrags.of(a.connection().localDescription());
            String bUfrag = RoomUfrags.of(b.connection().localDescription());

            assertEquals(false, javaCalls.restartIceIfDisconnected(b, dev.purertc.channel.PeerConnectionState.DISCONNECTED));
            assertEquals(false, aliceCalls.restartIceIfDisconnected(a, dev.purertc.channel.PeerConnectionState.CONNECTED));
            assertEquals(true, aliceCalls.restartIceIfDisconnected(a, dev.purertc.channel.PeerConnectionState.DISCONNECTED));
            RoomUfrags.awaitChange(a, aUfrag);
            RoomUfrags.awaitChange(b, bUfrag);
            assertEquals("5", a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString());
            assertEquals(dev.purertc.channel.PeerConnectionState.CONNECTED, a.connection().connectionState());
        } finally {
            aliceRooms.close();
            aliceCalls.close();
            alice.close();
        }
    }

    /** A raw socket sends exactly what a graphscript page sends; its WebRTC half is a Java room. */
    @Test
    void aGraphscriptShapedCallerGetsAnswerPeerAndCandidatesBack() throws Exception {
        graphscriptShapedCall("description", "candidates");
    }

    /** The same call written with the seed document's names: the caller is the host. */
    @Test
    void aCallerUsingTheSeedsNamesGetsAnswerPeerAndCandidatesBack() throws Exception {
        graphscriptShapedCall("hostdescription", "hostcandidates");
    }

    private void graphscriptShapedCall(String descriptionName, String candidatesName) throws Exception {
        WebRtcRooms pageRooms = new WebRtcRooms(factory, loopback, new ServiceRoutes());
        try (RawSocket page = new RawSocket(server.websocketUri())) {
            page.send("{\"route\":\"addUser\",\"args\":[{\"_id\":\"gspage\"},{\"0\":\"" + page.connectionId + "\"},null,true]}");
            java.util.concurrent.BlockingQueue<String> pageCandidates = new java.util.concurrent.LinkedBlockingQueue<>();
            Room pageRoom = pageRooms.openRTC(RoomOptions.builder().id("rtc42")
                    .onIceCandidate((r, c) -> pageCandidates.add(GraphscriptJson.candidateJson(c).toString())).build())
                    .get(WAIT_S, TimeUnit.SECONDS);
            String offer = pageRoom.encodedLocalDescription();
            page.send("{\"route\":\"runRequest\",\"args\":[{\"route\":\"runConnection\",\"args\":[\"javapeer\",\"run\","
                    + "[\"receiveCallInformation\",{\"_id\":\"rtc42\",\"" + descriptionName + "\":\"" + offer + "\",\"caller\":\"gspage\","
                    + "\"remoteId\":\"" + page.connectionId + "\"}]]},\"" + page.connectionId + "\",0.5]}");

            String answerPeer = null;
            boolean sawReply = false;
            int candidates = 0;
            for (int i = 0; i < 50 && (answerPeer == null || !sawReply); i++) {
                String m = page.next();
                if (m.startsWith("{\"route\":\"runRequest\"")) {
                    answerPeer = m;
                } else if (m.startsWith("{\"route\":\"receiveCallInformation\",\"args\":{\"_id\":\"rtc42\",\"candidates\":{\"candidate")) {
                    JsonNode c = SignalingJson.parse(m).get("args").get("candidates");
                    pageRooms.addIceCandidate("rtc42", c.elements().next());
                    candidates++;
                } else {
                    assertEquals("{\"args\":\"rtc42\",\"callbackId\":0.5,\"from\":\"javapeer\"}", m);
                    sawReply = true;
                }
            }
            assertTrue(sawReply, "receiveCallInformation was not answered");
            String prefix = "{\"route\":\"runRequest\",\"args\":[{\"route\":\"answerPeer\",\"args\":[\"rtc42\",{\"description\":"
                    + "\"%7B%22type%22%3A%22answer%22%2C%22sdp%22%3A%22v%3D0";
            assertTrue(answerPeer.startsWith(prefix), answerPeer);
            assertTrue(answerPeer.contains("\",\"caller\":\"javapeer\",\"remoteId\":\"" + javaClient.connectionId() + "\"}]},\""
                    + page.connectionId + "\",\"relay"), answerPeer);
            JsonNode call = SignalingJson.parse(answerPeer);
            String encodedAnswer = call.get("args").get(0).get("args").get(1).get("description").asText();
            pageRooms.answerPeer("rtc42", RoomOptions.builder().description(encodedAnswer).build()).get(WAIT_S, TimeUnit.SECONDS);
            page.send("{\"args\":true,\"callbackId\":\"" + call.get("args").get(2).asText() + "\"}");
            // the page trickles its candidates as graphscript's examples do: runAll receiveCallInformation
            String c;
            while ((c = pageCandidates.poll(2, TimeUnit.SECONDS)) != null) {
                page.send("{\"route\":\"runConnection\",\"args\":[\"javapeer\",\"runAll\",[\"receiveCallInformation\","
                        + "{\"_id\":\"rtc42\",\"" + candidatesName + "\":{\"candidate" + candidates++ + "\":" + c + "}}]]}");
            }
            pageRoom.opened().get(WAIT_S, TimeUnit.SECONDS);
            assertEquals("5", pageRoom.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString());
            assertEquals("gspage", javaRooms.room("rtc42").property("caller"));
        } finally {
            pageRooms.close();
        }
    }

    @Test
    void aThirdUsersCallInformationCandidatesAndAnswerPeerForALiveRoomAreRefused() throws Exception {
        WebRtcRooms aliceRooms = new WebRtcRooms(factory, loopback, new ServiceRoutes());
        SignalingClient alice = SignalingClient.connect(server.websocketUri(),
                SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
        GraphscriptCalls aliceCalls = new GraphscriptCalls(alice, aliceRooms, null);
        SignalingClient mallory = SignalingClient.connect(server.websocketUri(),
                SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
        try (java.net.DatagramSocket trap = new java.net.DatagramSocket(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))) {
            alice.register("alice").get(WAIT_S, TimeUnit.SECONDS);
            mallory.register("mallory").get(WAIT_S, TimeUnit.SECONDS);
            Room a = aliceCalls.call("javapeer", null).get(WAIT_S, TimeUnit.SECONDS);
            String id = a.id();
            assertTrue(id.matches("rtc[0-9a-f]{32}"), id);
            a.opened().get(WAIT_S, TimeUnit.SECONDS);
            Room b = javaRooms.room(id);
            b.opened().get(WAIT_S, TimeUnit.SECONDS);

            ObjectNode offer = SignalingJson.object();
            offer.put("_id", id);
            offer.put("description", a.encodedLocalDescription());
            ObjectNode candidates = SignalingJson.object();
            candidates.put("_id", id);
            candidates.putObject("candidates").set("candidate1", SignalingJson.parse(
                    "{\"candidate\":\"candidate:1 1 udp 2130706431 127.0.0.1 " + trap.getLocalPort()
                            + " typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}"));
            com.fasterxml.jackson.databind.node.ArrayNode answer = SignalingJson.MAPPER.createArrayNode();
            answer.add(id);
            answer.addObject().put("description", b.encodedLocalDescription());

            for (JsonNode refused : List.of(
                    mallory.run("javapeer", "receiveCallInformation", offer).get(WAIT_S, TimeUnit.SECONDS),
                    mallory.run("javapeer", "receiveCallInformation", candidates).get(WAIT_S, TimeUnit.SECONDS),
                    mallory.run("alice", "receiveCallInformation", candidates).get(WAIT_S, TimeUnit.SECONDS),
                    mallory.run("alice", "answerPeer", answer).get(WAIT_S, TimeUnit.SECONDS))) {
                assertEquals(CallRefusal.ROOM_IN_USE.wireName(), refused.get("error").asText(), refused.toString());
            }
            trap.setSoTimeout(3000);
            assertThrows(java.net.SocketTimeoutException.class,
                    () -> trap.receive(new java.net.DatagramPacket(new byte[1500], 1500)),
                    "a STUN check reached the port the third user chose");
            assertEquals("alice", b.property("caller"));
            assertEquals(Map.of(id, b), javaRooms.rooms());
            assertEquals("5", a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString());
        } finally {
            aliceRooms.close();
            aliceCalls.close();
            alice.close();
            mallory.close();
        }
    }

    @Test
    void twentyThousandEarlyCandidatesFromOneUserKeepEightRooms() throws Exception {
        SignalingClient mallory = SignalingClient.connect(server.websocketUri(),
                SignalingClientOptions.builder(new RecordingListener()).build()).get(WAIT_S, TimeUnit.SECONDS);
        try {
            mallory.register("mallory").get(WAIT_S, TimeUnit.SECONDS);
            Map<String, Integer> results = new java.util.HashMap<>();
            List<CompletableFuture<JsonNode>> window = new java.util.ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                ObjectNode info = SignalingJson.object();
                info.put("_id", "never" + i);
                info.putObject("candidates").set("candidate1", SignalingJson.parse(
                        "{\"candidate\":\"candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}"));
                window.add(mallory.run("javapeer", "receiveCallInformation", info));
                if (window.size() == 50 || i == 19_999) {
                    for (CompletableFuture<JsonNode> f : window) {
                        JsonNode r = f.get(WAIT_S, TimeUnit.SECONDS);
                        results.merge(r.isTextual() ? "kept" : r.get("error").asText(), 1, Integer::sum);
                    }
                    window.clear();
                }
            }
            assertEquals(Map.of("kept", 8, CallRefusal.TOO_MANY_PENDING_CALLS.wireName(), 19_992), results);
            assertEquals(8, javaRooms.unanswered().size());
            assertEquals("mallory", javaRooms.pendingCaller("never0"));
        } finally {
            mallory.close();
        }
    }
}
