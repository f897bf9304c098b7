package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
}
