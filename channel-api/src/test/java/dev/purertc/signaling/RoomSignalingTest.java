package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.PeerConnectionState;
import dev.purertc.channel.SignalingState;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;
import dev.purertc.rooms.Room;
import dev.purertc.rooms.RoomOptions;
import dev.purertc.rooms.ServiceRoutes;
import dev.purertc.rooms.WebRtcRooms;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Java-to-Java rooms whose only contact is the signaling server (real ICE/DTLS/SCTP on 127.0.0.1). */
class RoomSignalingTest {

    private static final long WAIT_S = 30;

    private SignalingServer server;
    private PeerConnectionFactory factory;
    private WebRtcRooms roomsA;
    private WebRtcRooms roomsB;
    private RoomSignaling sigA;
    private RoomSignaling sigB;
    private SignalingClient alice;
    private SignalingClient bob;
    private final BlockingQueue<String> callsAtB = new LinkedBlockingQueue<>();
    private volatile boolean bobAccepts = true;

    @BeforeEach
    void setUp() throws Exception {
        server = SignalingServer.start(SignalingServerOptions.defaults());
        factory = new PeerConnectionFactory(1);
        RtcConfiguration loopback = RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build();
        ServiceRoutes routesA = new ServiceRoutes();
        routesA.remote("whoami", call -> "alice");
        ServiceRoutes routesB = new ServiceRoutes();
        routesB.remote("add", call -> call.arg(0, Integer.class) + call.arg(1, Integer.class));
        roomsA = new WebRtcRooms(factory, loopback, routesA);
        roomsB = new WebRtcRooms(factory, loopback, routesB);
        sigA = new RoomSignaling(roomsA, call -> null);
        sigB = new RoomSignaling(roomsB, call -> {
            callsAtB.add(call.from() + " " + call.get("room").asText());
            return bobAccepts ? RoomOptions.builder().build() : null;
        });
        alice = SignalingClient.connect(server.websocketUri(), SignalingClientOptions.builder(sigA).build())
                .get(WAIT_S, TimeUnit.SECONDS);
        sigA.bind(alice);
        alice.register("alice").get(WAIT_S, TimeUnit.SECONDS);
        bob = SignalingClient.connect(server.websocketUri(), SignalingClientOptions.builder(sigB).build())
                .get(WAIT_S, TimeUnit.SECONDS);
        sigB.bind(bob);
        bob.register("bob").get(WAIT_S, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() {
        roomsA.close();
        roomsB.close();
        sigA.close();
        sigB.close();
        alice.close();
        bob.close();
        factory.close();
        server.close();
    }

    @Test
    void aliceCallsBobThroughTheServerAndTheyRunRoutesBothWaysThenHangUp() throws Exception {
        Room a = sigA.call("bob", RoomOptions.builder().id("room1").build()).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals("alice room1", callsAtB.poll(WAIT_S, TimeUnit.SECONDS));
        a.opened().get(WAIT_S, TimeUnit.SECONDS);
        Room b = roomsB.room("room1");
        b.opened().get(WAIT_S, TimeUnit.SECONDS);

        JsonNode sum = a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals("5", sum.toString());
        assertEquals("\"alice\"", b.run("whoami", null).get(WAIT_S, TimeUnit.SECONDS).toString());

        sigA.hangup("room1");
        b.closed().get(WAIT_S, TimeUnit.SECONDS);
        assertTrue(roomsA.rooms().isEmpty());
        assertTrue(roomsB.rooms().isEmpty());
        assertEquals(Set.of("alice", "bob"), server.users());
    }

    @Test
    void aRejectedCallFailsAndLeavesNoRoom() throws Exception {
        bobAccepts = false;
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> sigA.call("bob", RoomOptions.builder().id("room2").build()).get(WAIT_S, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("rejected call room2"), e.getCause().getMessage());
        assertEquals("alice room2", callsAtB.poll(WAIT_S, TimeUnit.SECONDS));
        assertTrue(roomsA.rooms().isEmpty());
        assertTrue(roomsB.rooms().isEmpty());
    }

    @Test
    void callingAnUnknownUserFailsWithUnknownUser() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> sigA.call("nobody", RoomOptions.builder().id("room3").build()).get(WAIT_S, TimeUnit.SECONDS));
        assertEquals(SignalingErrorCode.UNKNOWN_USER, assertInstanceOf(SignalingException.class, e.getCause()).code());
        assertTrue(roomsA.rooms().isEmpty());
    }

    /** Opens a call alice → bob (alice is the impolite caller) and waits until both rooms are open. */
    private Room[] openCall(String id) throws Exception {
        Room a = sigA.call("bob", RoomOptions.builder().id(id).build()).get(WAIT_S, TimeUnit.SECONDS);
        a.opened().get(WAIT_S, TimeUnit.SECONDS);
        Room b = roomsB.room(id);
        b.opened().get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(false, a.polite());
        assertEquals(true, b.polite());
        return new Room[] {a, b};
    }

    /**
     * Renegotiation in PureRTC's dialect ({@code description} messages through the relay) from either side:
     * first an ICE restart (both sides get new credentials), then a plain one; the room goes on.
     */
    @Test
    void renegotiationThroughDescriptionMessagesFromEitherSideKeepsTheRoom() throws Exception {
        Room[] r = openCall("room4");
        Room a = r[0];
        Room b = r[1];
        String aUfrag = RoomUfrags.of(a.connection().localDescription());
        String bUfrag = RoomUfrags.of(b.connection().localDescription());

        sigA.renegotiate("room4", true).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(SignalingState.STABLE, a.connection().signalingState());
        assertEquals(SignalingState.STABLE, b.connection().signalingState());
        assertNotEquals(aUfrag, RoomUfrags.of(a.connection().localDescription()));
        assertNotEquals(bUfrag, RoomUfrags.of(b.connection().localDescription()));
        assertEquals("5", a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString());

        String bSecond = RoomUfrags.of(b.connection().localDescription());
        sigB.renegotiate("room4", false).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(SignalingState.STABLE, a.connection().signalingState());
        assertEquals(bSecond, RoomUfrags.of(b.connection().localDescription()), "no restart asked for");
        assertEquals("9", a.run("add", List.of(4, 5)).get(WAIT_S, TimeUnit.SECONDS).toString());
        assertEquals(PeerConnectionState.CONNECTED, a.connection().connectionState());
        assertEquals(PeerConnectionState.CONNECTED, b.connection().connectionState());
    }

    /** {@code restartIce()} on a room's connection, either side: negotiation-needed sends the offer by itself. */
    @Test
    void restartIceOnARoomsConnectionRenegotiatesThroughTheRelayByItself() throws Exception {
        Room[] r = openCall("room5");
        Room a = r[0];
        Room b = r[1];
        String aUfrag = RoomUfrags.of(a.connection().localDescription());
        String bUfrag = RoomUfrags.of(b.connection().localDescription());
        a.connection().restartIce();
        RoomUfrags.awaitChange(a, aUfrag);
        RoomUfrags.awaitChange(b, bUfrag);

        String aSecond = RoomUfrags.of(a.connection().localDescription());
        String bSecond = RoomUfrags.of(b.connection().localDescription());
        b.connection().restartIce();
        RoomUfrags.awaitChange(b, bSecond);
        RoomUfrags.awaitChange(a, aSecond);
        assertEquals("5", a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString());
        assertEquals(PeerConnectionState.CONNECTED, a.connection().connectionState());
        assertEquals(PeerConnectionState.CONNECTED, b.connection().connectionState());
    }

    /**
     * The {@link AutoIceRestart} rule in this dialect, fed the state change: the impolite caller restarts
     * through the relay, the polite callee leaves it to the caller, other states do nothing. (Losing the
     * path for real is interop-tests' {@code RoomAddressChangeTest}.)
     */
    @Test
    void aDisconnectedRoomOfTheCallerRestartsIceThroughTheRelay() throws Exception {
        Room[] r = openCall("room6");
        Room a = r[0];
        Room b = r[1];
        String aUfrag = RoomUfrags.of(a.connection().localDescription());
        String bUfrag = RoomUfrags.of(b.connection().localDescription());

        assertEquals(false, sigB.restartIceIfDisconnected(b, PeerConnectionState.DISCONNECTED));
        assertEquals(false, sigA.restartIceIfDisconnected(a, PeerConnectionState.CONNECTED));
        assertEquals(aUfrag, RoomUfrags.of(a.connection().localDescription()));
        assertEquals(true, sigA.restartIceIfDisconnected(a, PeerConnectionState.DISCONNECTED));
        RoomUfrags.awaitChange(a, aUfrag);
        RoomUfrags.awaitChange(b, bUfrag);
        assertEquals("5", a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString());
        assertEquals(PeerConnectionState.CONNECTED, a.connection().connectionState());
    }

    /** With its signaling closed, a disconnected caller does not restart: the offer could not reach the peer. */
    @Test
    void aDisconnectedCallerWhoseSignalingIsClosedDoesNotRestart() throws Exception {
        Room[] r = openCall("room7");
        alice.close();
        alice.closeFuture().get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(false, sigA.restartIceIfDisconnected(r[0], PeerConnectionState.DISCONNECTED));
    }

    /**
     * Glare, perfect negotiation with {@link Room#polite()}: an offer meeting the polite callee's own
     * unanswered offer is answered after an implicit rollback; an offer meeting the impolite caller's own
     * offer is ignored, and the polite sender's offer, never answered, is rolled back after
     * {@link RoomSignaling#RENEGOTIATION_ANSWER_BOUND}. The room goes on either way.
     */
    @Test
    void offerCollisionsThePoliteCalleeYieldsTheImpoliteCallerKeepsItsOffer() throws Exception {
        Room[] r = openCall("room8");
        Room a = r[0];
        Room b = r[1];
        var politePc = b.connection();
        var impolitePc = a.connection();

        // The polite callee has an offer out when the caller's restart offer comes: it yields and answers.
        politePc.setLocalDescription(politePc.createOffer().join()).join();
        assertEquals(SignalingState.HAVE_LOCAL_OFFER, politePc.signalingState());
        String aUfrag = RoomUfrags.of(impolitePc.localDescription());
        sigA.renegotiate("room8", true).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(SignalingState.STABLE, impolitePc.signalingState());
        assertEquals(SignalingState.STABLE, politePc.signalingState());
        assertNotEquals(aUfrag, RoomUfrags.of(impolitePc.localDescription()));

        // The impolite caller has an offer out when the callee's offer comes: it ignores it and keeps its own.
        impolitePc.setLocalDescription(impolitePc.createOffer().join()).join();
        long start = System.nanoTime();
        ExecutionException unanswered = assertThrows(ExecutionException.class,
                () -> sigB.renegotiate("room8", false).get(WAIT_S, TimeUnit.SECONDS));
        assertTrue(unanswered.getCause().getMessage().contains("did not answer the offer within PT10S"),
                unanswered.getCause().getMessage());
        assertTrue(System.nanoTime() - start >= RoomSignaling.RENEGOTIATION_ANSWER_BOUND.toNanos());
        assertEquals(SignalingState.STABLE, politePc.signalingState());
        assertEquals(SignalingState.HAVE_LOCAL_OFFER, impolitePc.signalingState());
        impolitePc.setLocalDescription(dev.purertc.channel.RTCSessionDescription.rollback()).join();

        assertEquals("5", a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString());
        assertEquals(PeerConnectionState.CONNECTED, politePc.connectionState());
    }
}
