package dev.purertc.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RTCDataChannelInit;
import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;

/**
 * Java-to-Java rooms over real loopback peer connections; the test is the signaling channel and carries
 * descriptions and candidates in graphscript's URL-encoded JSON form.
 */
class RoomsLoopbackTest {

    private static final long WAIT_S = 30;

    private PeerConnectionFactory factory;
    private ServiceRoutes routesA;
    private ServiceRoutes routesB;
    private WebRtcRooms roomsA;
    private WebRtcRooms roomsB;
    private final BlockingQueue<Object> dataAtB = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> closedA = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> closedB = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() {
        factory = new PeerConnectionFactory(1);
        RtcConfiguration loopback = RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build();
        routesA = new ServiceRoutes();
        routesB = new ServiceRoutes();
        routesA.remote("whoami", call -> "A");
        routesA.topic("ticks");
        routesB.remote("add", call -> call.arg(0, Integer.class) + call.arg(1, Integer.class));
        routesB.remoteAsync("upper", String.class, s -> CompletableFuture.supplyAsync(s::toUpperCase));
        routesB.topic("news");
        routesB.local("secret", call -> "never remote");
        roomsA = new WebRtcRooms(factory, loopback, routesA);
        roomsB = new WebRtcRooms(factory, loopback, routesB);
    }

    @AfterEach
    void tearDown() {
        roomsA.close();
        roomsB.close();
        factory.close();
    }

    /** A calls B: offer and candidates from A reach B before B opens its room (they are kept). */
    private Room[] connect(String id, RoomOptions.Builder aOptions) throws Exception {
        Room a = roomsA.openRTC(aOptions.id(id)
                .onIceCandidate((room, c) -> roomsB.addIceCandidate(id, GraphscriptJson.encodeCandidate(c)))
                .onClose(r -> closedA.add(r.id()))
                .build()).get(WAIT_S, TimeUnit.SECONDS);
        String offer = a.encodedLocalDescription();
        assertTrue(offer.startsWith("%7B%22type%22%3A%22offer%22%2C%22sdp%22%3A%22v%3D0"), offer);
        Room b = roomsB.openRTC(RoomOptions.builder().id(id).description(offer)
                .onIceCandidate((room, c) -> roomsA.addIceCandidate(id, GraphscriptJson.encodeCandidate(c)))
                .onData((message, channel, room) -> dataAtB.add(channel.label() + ":"
                        + (message instanceof byte[] bytes ? java.util.Arrays.toString(bytes) : message)))
                .onClose(r -> closedB.add(r.id()))
                .build()).get(WAIT_S, TimeUnit.SECONDS);
        assertTrue(b.polite());
        assertFalse(a.polite());
        roomsA.answerPeer(id, RoomOptions.builder().description(b.encodedLocalDescription()).build())
                .get(WAIT_S, TimeUnit.SECONDS);
        a.opened().get(WAIT_S, TimeUnit.SECONDS);
        b.opened().get(WAIT_S, TimeUnit.SECONDS);
        return new Room[] {a, b};
    }

    @Test
    void requestRunSubscribeAndUnsubscribeBothWaysThenTerminateClosesBothSides() throws Exception {
        Room[] pair = connect("room1", RoomOptions.builder());
        Room a = pair[0];
        Room b = pair[1];
        assertEquals(Map.of("room1", a), roomsA.rooms());
        assertEquals(Map.of("room1", b), roomsB.rooms());
        assertTrue(roomsB.unanswered().isEmpty(), "early candidates joined the room");

        // A → B
        assertEquals("5", a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString());
        assertEquals("\"SHOUT\"", a.request(Map.of("route", "upper", "args", "shout")).get(WAIT_S, TimeUnit.SECONDS).toString());
        // B → A
        assertEquals("\"A\"", b.run("whoami", null).get(WAIT_S, TimeUnit.SECONDS).toString());

        // Subscriptions both ways.
        BlockingQueue<JsonNode> newsAtA = new LinkedBlockingQueue<>();
        int newsSub = a.subscribe("news", newsAtA::add).get(WAIT_S, TimeUnit.SECONDS);
        BlockingQueue<JsonNode> ticksAtB = new LinkedBlockingQueue<>();
        int ticksSub = b.subscribe("ticks", ticksAtB::add).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(1, routesB.subscriptionCount());
        assertEquals(1, routesA.subscriptionCount());
        assertEquals(1, routesB.publish("news", Map.of("headline", "hello")));
        assertEquals("{\"headline\":\"hello\"}", newsAtA.poll(WAIT_S, TimeUnit.SECONDS).toString());
        routesA.publish("ticks", 1);
        routesA.publish("ticks", 2);
        assertEquals("1", ticksAtB.poll(WAIT_S, TimeUnit.SECONDS).toString());
        assertEquals("2", ticksAtB.poll(WAIT_S, TimeUnit.SECONDS).toString());
        assertTrue(a.unsubscribe("news", newsSub).get(WAIT_S, TimeUnit.SECONDS));
        assertTrue(b.unsubscribe("ticks", ticksSub).get(WAIT_S, TimeUnit.SECONDS));
        assertFalse(a.unsubscribe("news", newsSub).get(WAIT_S, TimeUnit.SECONDS), "already gone");
        assertEquals(0, routesB.subscriptionCount());
        assertEquals(0, routesA.subscriptionCount());
        assertEquals(0, routesB.publish("news", "unheard"));

        // Errors come back instead of silence; local-only routes are denied.
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> a.run("secret", null).get(WAIT_S, TimeUnit.SECONDS));
        assertEquals(ServiceError.NOT_FOUND, assertInstanceOf(RemoteRouteException.class, e.getCause()).error());
        e = assertThrows(ExecutionException.class, () -> a.run("add", List.of("x")).get(WAIT_S, TimeUnit.SECONDS));
        assertEquals(ServiceError.BAD_ARGUMENTS, assertInstanceOf(RemoteRouteException.class, e.getCause()).error());

        // Plain messages reach ondata untouched.
        a.send("hello \\ \"there\"");
        assertEquals("data:hello \\ \"there\"", dataAtB.poll(WAIT_S, TimeUnit.SECONDS));
        a.send(new byte[] {1, 2, 3});
        assertEquals("data:[1, 2, 3]", dataAtB.poll(WAIT_S, TimeUnit.SECONDS));
        a.send("{\"not\":\"a service message\"}");
        assertEquals("data:{\"not\":\"a service message\"}", dataAtB.poll(WAIT_S, TimeUnit.SECONDS));

        assertEquals(0, a.service().pendingCount());
        assertEquals(0, b.service().pendingCount());
        assertEquals(0, a.service().localSubscriptionCount());

        assertTrue(roomsA.terminate("room1"));
        assertEquals("room1", closedA.poll(WAIT_S, TimeUnit.SECONDS));
        assertEquals("room1", closedB.poll(WAIT_S, TimeUnit.SECONDS), "the peer's room ends too");
        assertTrue(closedA.isEmpty(), "onclose fired once");
        assertTrue(a.closed().isDone());
        assertTrue(roomsA.rooms().isEmpty());
        assertTrue(roomsB.rooms().isEmpty());
        assertThrows(IllegalStateException.class, () -> a.post("add", List.of(1, 1)));
    }

    @Test
    void aChannelWithItsOwnOndataCarriesNoServiceMessages() throws Exception {
        BlockingQueue<String> raw = new LinkedBlockingQueue<>();
        Room[] pair = connect("room2", RoomOptions.builder()
                .channel("data")
                .channel("raw", RTCDataChannelInit.defaults(), (message, channel, room) -> raw.add((String) message)));
        Room b = pair[1];
        b.channelOpen("raw").get(WAIT_S, TimeUnit.SECONDS).send("{\"route\":\"whoami\",\"args\":[]}");
        assertEquals("{\"route\":\"whoami\",\"args\":[]}", raw.poll(WAIT_S, TimeUnit.SECONDS));
        // On B's side "raw" has no ondata of its own: service messages there are answered.
        assertEquals("\"A\"", b.run("whoami", null).get(WAIT_S, TimeUnit.SECONDS).toString());
    }

    @Test
    void incomingCallsAreKeptUntilAnsweredOrRejected() throws Exception {
        BlockingQueue<RTCIceCandidate> candidatesFromA = new LinkedBlockingQueue<>();
        Room a = roomsA.openRTC(RoomOptions.builder().id("call1")
                .onIceCandidate((room, c) -> candidatesFromA.add(c))
                .onClose(r -> closedA.add(r.id()))
                .build()).get(WAIT_S, TimeUnit.SECONDS);
        String id = roomsB.receiveCallInformation(RoomOptions.builder().id("call1")
                .description(a.encodedLocalDescription()).property("caller", "alice").build());
        assertEquals("call1", id);
        // Candidates trickle in as separate call information and merge into the kept call.
        int n = 0;
        while (true) {
            RTCIceCandidate c = candidatesFromA.poll(WAIT_S, TimeUnit.SECONDS);
            assertNotNull(c, "A's gathering did not complete");
            n++;
            roomsB.receiveCallInformation(RoomOptions.builder().id("call1")
                    .candidate("c" + n, GraphscriptJson.encodeCandidate(c)).build());
            if (c.isEndOfCandidates()) {
                // As browsers send it: Chromium rejects an end-of-candidates with neither mid nor index.
                assertEquals("", c.candidate());
                assertEquals("0", c.sdpMid());
                assertEquals(0, c.sdpMLineIndex());
                break;
            }
        }
        assertEquals(n, roomsB.unanswered().get("call1").candidates().size());
        assertEquals(List.of("call1"), List.copyOf(roomsB.unanswered().keySet()));
        assertEquals("alice", roomsB.unanswered().get("call1").properties().get("caller"));
        String other = roomsB.receiveCallInformation(RoomOptions.builder().description(a.encodedLocalDescription()).build());
        assertTrue(other.startsWith("rtc"), other);
        assertTrue(roomsB.rejectCall(other));
        assertFalse(roomsB.rejectCall(other));

        Room b = roomsB.answerCall("call1", RoomOptions.builder()
                .onIceCandidate((room, cand) -> roomsA.addIceCandidate("call1", GraphscriptJson.encodeCandidate(cand)))
                .onClose(r -> closedB.add(r.id())).build()).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals("alice", b.property("caller"));
        assertTrue(roomsB.unanswered().isEmpty());
        roomsA.answerPeer(a, RoomOptions.builder().description(b.encodedLocalDescription()).build())
                .get(WAIT_S, TimeUnit.SECONDS);
        a.opened().get(WAIT_S, TimeUnit.SECONDS);
        assertEquals("7", a.run("add", List.of(3, 4), null, Duration.ofSeconds(WAIT_S)).get(WAIT_S, TimeUnit.SECONDS).toString());

        // Options given to openRTC for an existing room merge into it.
        BlockingQueue<Object> late = new LinkedBlockingQueue<>();
        roomsB.openRTC(RoomOptions.builder().id("call1").onData((m, ch, r) -> late.add(m)).build()).get(WAIT_S, TimeUnit.SECONDS);
        a.send("merged");
        assertEquals("merged", late.poll(WAIT_S, TimeUnit.SECONDS));
        assertEquals("alice", b.property("caller"));

        // ...and channels they name that the room lacks are created.
        BlockingQueue<Object> files = new LinkedBlockingQueue<>();
        roomsA.openRTC(RoomOptions.builder().id("call1")
                .channel("files", RTCDataChannelInit.defaults(), (m, ch, r) -> files.add(m)).build()).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(List.of("data", "files"), List.copyOf(a.channels().keySet()));
        b.channelOpen("files").get(WAIT_S, TimeUnit.SECONDS).send(new byte[] {9});
        assertTrue(java.util.Arrays.equals(new byte[] {9}, (byte[]) files.poll(WAIT_S, TimeUnit.SECONDS)));

        b.terminate();
        assertEquals("call1", closedB.poll(WAIT_S, TimeUnit.SECONDS));
        assertEquals("call1", closedA.poll(WAIT_S, TimeUnit.SECONDS));
    }
}
