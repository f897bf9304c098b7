package dev.purertc.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;

/**
 * graphscript's service behaviours that issue 12 adds, Java room to Java room over loopback: a
 * subscription to one key of a route, the built-in {@code ping} and {@code echo}, and an {@code ondata}
 * that takes service messages when the room asks for it.
 */
class GraphscriptServiceRoomsTest {

    private static final long WAIT_S = 30;

    private PeerConnectionFactory factory;
    private ServiceRoutes routesA;
    private ServiceRoutes routesB;
    private WebRtcRooms roomsA;
    private WebRtcRooms roomsB;

    @BeforeEach
    void setUp() {
        factory = new PeerConnectionFactory(1);
        RtcConfiguration loopback = RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build();
        routesA = new ServiceRoutes();
        routesB = new ServiceRoutes();
        roomsA = new WebRtcRooms(factory, loopback, routesA);
        roomsB = new WebRtcRooms(factory, loopback, routesB);
    }

    @AfterEach
    void tearDown() {
        roomsA.close();
        roomsB.close();
        factory.close();
    }

    /** A calls B with trickle through the test; returns {A's room, B's room}, both open. */
    private Room[] connect(String id, RoomOptions.Builder bOptions) throws Exception {
        Room a = roomsA.openRTC(RoomOptions.builder().id(id)
                .onIceCandidate((room, c) -> roomsB.addIceCandidate(id, GraphscriptJson.encodeCandidate(c)))
                .build()).get(WAIT_S, TimeUnit.SECONDS);
        Room b = roomsB.openRTC(bOptions.id(id).description(a.encodedLocalDescription())
                .onIceCandidate((room, c) -> roomsA.addIceCandidate(id, GraphscriptJson.encodeCandidate(c)))
                .build()).get(WAIT_S, TimeUnit.SECONDS);
        roomsA.answerPeer(id, RoomOptions.builder().description(b.encodedLocalDescription()).build())
                .get(WAIT_S, TimeUnit.SECONDS);
        a.opened().get(WAIT_S, TimeUnit.SECONDS);
        b.opened().get(WAIT_S, TimeUnit.SECONDS);
        return new Room[] {a, b};
    }

    @Test
    void subscribeWithKeyHearsOnlyThatKeyOfTheRoute() throws Exception {
        routesB.remote("player", call -> Map.of("score", call.arg(0, Integer.class), "name", "ann"));
        Room a = connect("keyed", RoomOptions.builder())[0];
        BlockingQueue<JsonNode> scores = new LinkedBlockingQueue<>();
        int sub = a.subscribe("player", scores::add, null, "score", null, null).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(0, sub);

        assertEquals(1, routesB.publish("player", "score", 10));
        assertEquals(0, routesB.publish("player", "name", "bob"));
        assertEquals(0, routesB.publish("player", "no key in it"));
        assertEquals("10", scores.poll(WAIT_S, TimeUnit.SECONDS).toString());
        // A run of the route by the peer: its result's field under the key follows.
        assertEquals("{\"name\":\"ann\",\"score\":12}",
                sorted(a.run("player", List.of(12)).get(WAIT_S, TimeUnit.SECONDS)));
        assertEquals("12", scores.poll(WAIT_S, TimeUnit.SECONDS).toString());
        assertNull(scores.poll(200, TimeUnit.MILLISECONDS), "nothing else was pushed: " + scores);

        assertEquals(Boolean.TRUE, a.unsubscribe("player", sub).get(WAIT_S, TimeUnit.SECONDS));
        assertEquals(0, routesB.publish("player", "score", 13));
        assertEquals(0, routesB.subscriptionCount());
    }

    @Test
    void pingAndEchoAreAnsweredWithoutRegisteringThem() throws Exception {
        Room a = connect("builtins", RoomOptions.builder())[0];
        assertEquals("\"pong\"", a.run("ping", null).get(WAIT_S, TimeUnit.SECONDS).toString());
        assertEquals("[1,\"two\",{\"3\":true}]",
                a.run("echo", List.of(1, "two", Map.of("3", true))).get(WAIT_S, TimeUnit.SECONDS).toString());
        assertEquals("[\"solo\"]", a.run("echo", "solo").get(WAIT_S, TimeUnit.SECONDS).toString());
        assertEquals("[]", a.request(Map.of("route", "echo")).get(WAIT_S, TimeUnit.SECONDS).toString());
        assertEquals("\"pong\"", a.request(Map.of("route", "ping")).get(WAIT_S, TimeUnit.SECONDS).toString());
    }

    @Test
    void ondataTakesServiceMessagesOnlyWhenTheRoomSaysSo() throws Exception {
        routesB.remote("add", call -> call.arg(0, Integer.class) + call.arg(1, Integer.class));
        BlockingQueue<Object> byDefault = new LinkedBlockingQueue<>();
        Room a = connect("default", RoomOptions.builder().onData((m, ch, r) -> byDefault.add(m)))[0];
        assertEquals("5", a.run("add", List.of(2, 3)).get(WAIT_S, TimeUnit.SECONDS).toString());
        a.send("plain");
        assertEquals("plain", byDefault.poll(WAIT_S, TimeUnit.SECONDS));
        assertNull(byDefault.poll(200, TimeUnit.MILLISECONDS), "the engine kept the service message: " + byDefault);

        BlockingQueue<Object> takesAll = new LinkedBlockingQueue<>();
        Room a2 = connect("takes-all", RoomOptions.builder().onDataTakesServiceMessages(true)
                .onData((m, ch, r) -> takesAll.add(m)))[0];
        a2.post("add", List.of(2, 3), null);
        assertEquals("{\"route\":\"add\",\"args\":[2,3]}", takesAll.poll(WAIT_S, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> a2.run("add", List.of(4, 5), null, Duration.ofMillis(500)).get(WAIT_S, TimeUnit.SECONDS));
        assertInstanceOf(ServiceTimeoutException.class, e.getCause(), "B's engine never saw the request");
        assertEquals("{\"route\":\"runRequest\",\"args\":[{\"route\":\"add\",\"args\":[4,5]},\"takes-all\",1]}",
                takesAll.poll(WAIT_S, TimeUnit.SECONDS));
        a2.send("plain too");
        assertEquals("plain too", takesAll.poll(WAIT_S, TimeUnit.SECONDS));
    }

    private static String sorted(JsonNode node) throws Exception {
        return GraphscriptJson.MAPPER.writeValueAsString(GraphscriptJson.MAPPER.treeToValue(node, java.util.TreeMap.class));
    }
}
