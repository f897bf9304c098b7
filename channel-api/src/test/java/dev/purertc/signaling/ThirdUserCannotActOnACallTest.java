package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;
import dev.purertc.rooms.CallRefusal;
import dev.purertc.rooms.CallRefusedException;
import dev.purertc.rooms.Room;
import dev.purertc.rooms.RoomOptions;
import dev.purertc.rooms.ServiceRoutes;
import dev.purertc.rooms.WebRtcRooms;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alice calls Bob through the server (real ICE/DTLS/SCTP on 127.0.0.1); Mallory, a third registered
 * user who learnt the room id, sends every room signal for it to both. Only the peer bound to the room
 * may act on it: the call goes on untouched, Mallory's call reusing the id is refused as
 * {@code room-in-use}, and her candidate draws no STUN check to the port she chose.
 */
class ThirdUserCannotActOnACallTest {

    private static final long WAIT_S = 30;

    private SignalingServer server;
    private PeerConnectionFactory factory;
    private WebRtcRooms roomsA;
    private WebRtcRooms roomsB;
    private RoomSignaling sigA;
    private RoomSignaling sigB;
    private SignalingClient alice;
    private SignalingClient bob;
    private SignalingClient mallory;
    private final RecordingListener malloryIn = new RecordingListener();

    @BeforeEach
    void setUp() throws Exception {
        server = SignalingServer.start(SignalingServerOptions.defaults());
        factory = new PeerConnectionFactory(1);
        RtcConfiguration loopback = RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build();
        ServiceRoutes routesB = new ServiceRoutes();
        routesB.remote("add", call -> call.arg(0, Integer.class) + call.arg(1, Integer.class));
        roomsA = new WebRtcRooms(factory, loopback, new ServiceRoutes());
        roomsB = new WebRtcRooms(factory, loopback, routesB);
        sigA = new RoomSignaling(roomsA, call -> RoomOptions.builder().build());
        sigB = new RoomSignaling(roomsB, call -> RoomOptions.builder().build());
        alice = RegisteredUsers.connect(server, sigA, "alice");
        bob = RegisteredUsers.connect(server, sigB, "bob");
        mallory = RegisteredUsers.connect(server, malloryIn, "mallory");
    }

    @AfterEach
    void tearDown() {
        roomsA.close();
        roomsB.close();
        sigA.close();
        sigB.close();
        alice.close();
        bob.close();
        mallory.close();
        factory.close();
        server.close();
    }

    @Test
    void generatedRoomIdsCarry128RandomBits() throws Exception {
        Room a = sigA.call("bob", null).get(WAIT_S, TimeUnit.SECONDS);
        assertTrue(a.id().matches("rtc[0-9a-f]{32}"), a.id());
        a.opened().get(WAIT_S, TimeUnit.SECONDS);
        Room b = sigA.call("bob", null).get(WAIT_S, TimeUnit.SECONDS);
        assertFalse(a.id().equals(b.id()));
    }

    @Test
    void aThirdUsersHangupAnswerRejectCandidateAndCallLeaveTheCallUntouched() throws Exception {
        Room a = sigA.call("bob", null).get(WAIT_S, TimeUnit.SECONDS);
        String id = a.id();
        a.opened().get(WAIT_S, TimeUnit.SECONDS);
        Room b = roomsB.room(id);
        b.opened().get(WAIT_S, TimeUnit.SECONDS);

        try (DatagramSocket trap = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (String victim : List.of("alice", "bob")) {
                mallory.send(victim, "candidate", roomSignal(id).set("candidate", candidate(trap.getLocalPort())))
                        .get(WAIT_S, TimeUnit.SECONDS);
                mallory.send(victim, "answer", roomSignal(id).set("description", descriptionOf(b)))
                        .get(WAIT_S, TimeUnit.SECONDS);
                mallory.send(victim, "reject", roomSignal(id)).get(WAIT_S, TimeUnit.SECONDS);
                mallory.send(victim, "hangup", roomSignal(id)).get(WAIT_S, TimeUnit.SECONDS);
                // Each bridge handles one sender's messages in order, so this refusal also says the four
                // messages before it have been handled.
                mallory.send(victim, "call", roomSignal(id).set("description", descriptionOf(a)))
                        .get(WAIT_S, TimeUnit.SECONDS);
                JsonNode refusal = SignalingJson.parse(malloryIn.next());
                assertEquals("reject", refusal.get("type").asText());
                assertEquals(victim, refusal.get("from").asText());
                assertEquals(id, refusal.get("room").asText());
                assertEquals(CallRefusal.ROOM_IN_USE.wireName(), refusal.get("reason").asText());
            }
            // ICE would check a new remote candidate within tens of milliseconds; give it 3 s.
            trap.setSoTimeout(3000);
            assertThrows(SocketTimeoutException.class, () -> trap.receive(new DatagramPacket(new byte[1500], 1500)),
                    "a STUN check reached the port the third user chose");
        }

        assertFalse(a.closed().isDone());
        assertFalse(b.closed().isDone());
        assertEquals("5", a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString());

        // The room is still bound to Alice: Bob's hangup reaches her, not Mallory.
        sigB.hangup(id);
        a.closed().get(WAIT_S, TimeUnit.SECONDS);
        assertNull(malloryIn.messages.poll(500, TimeUnit.MILLISECONDS));
    }

    @Test
    void aCallThatReusesALiveRoomIdFromJavaFailsWithRoomInUse() throws Exception {
        Room a = sigA.call("bob", null).get(WAIT_S, TimeUnit.SECONDS);
        a.opened().get(WAIT_S, TimeUnit.SECONDS);
        Room b = roomsB.room(a.id());
        WebRtcRooms roomsM = new WebRtcRooms(factory,
                RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build(), new ServiceRoutes());
        try (RoomSignaling sigM = new RoomSignaling(roomsM, call -> null)) {
            SignalingClient m2 = RegisteredUsers.connect(server, sigM, "mallory2");
            try {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> sigM.call("bob", RoomOptions.builder().id(a.id()).build()).get(WAIT_S, TimeUnit.SECONDS));
                CallRefusedException refused = assertInstanceOf(CallRefusedException.class, e.getCause());
                assertEquals(CallRefusal.ROOM_IN_USE, refused.reason());
                assertEquals(a.id(), refused.roomId());
                assertTrue(roomsM.rooms().isEmpty());
                assertEquals(java.util.Map.of(a.id(), b), roomsB.rooms());
            } finally {
                m2.close();
                roomsM.close();
            }
        }
        assertFalse(a.closed().isDone());
        assertEquals("5", a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString());
    }

    @Test
    void twentyThousandCandidatesForRoomsThatNeverOpenAreNotKept() throws Exception {
        List<CompletableFuture<Void>> window = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            window.add(mallory.send("bob", "candidate", roomSignal("never" + i).set("candidate", candidate(40000))));
            if (window.size() == 100) {
                CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(WAIT_S, TimeUnit.SECONDS);
                window.clear();
            }
        }
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(WAIT_S, TimeUnit.SECONDS);
        // Bob handles one sender's messages in order: the refusal of this call follows the candidates.
        mallory.send("bob", "call", roomSignal("barrier").put("description", "not an offer")).get(WAIT_S, TimeUnit.SECONDS);
        JsonNode refusal = SignalingJson.parse(malloryIn.next());
        assertEquals(CallRefusal.INVALID_OFFER.wireName(), refusal.get("reason").asText());
        assertEquals(java.util.Map.of(), roomsB.unanswered());
        assertEquals(java.util.Map.of(), roomsB.rooms());
    }

    private static ObjectNode roomSignal(String id) {
        ObjectNode m = SignalingJson.object();
        m.put("room", id);
        return m;
    }

    private static ObjectNode candidate(int port) {
        ObjectNode c = SignalingJson.object();
        c.put("candidate", "candidate:1 1 udp 2130706431 127.0.0.1 " + port + " typ host");
        c.put("sdpMid", "0");
        c.put("sdpMLineIndex", 0);
        return c;
    }

    private static JsonNode descriptionOf(Room room) {
        return dev.purertc.rooms.GraphscriptJson.descriptionJson(room.localDescription());
    }
}
