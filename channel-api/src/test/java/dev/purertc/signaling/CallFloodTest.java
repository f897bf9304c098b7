package dev.purertc.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.PeerConnectionListener;
import dev.purertc.channel.RTCDataChannelInit;
import dev.purertc.channel.RTCDataChannelListener;
import dev.purertc.channel.RTCPeerConnection;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;
import dev.purertc.rooms.CallRefusal;
import dev.purertc.rooms.GraphscriptJson;
import dev.purertc.rooms.RoomOptions;
import dev.purertc.rooms.ServiceRoutes;
import dev.purertc.rooms.TimeoutScheduler;
import dev.purertc.rooms.WebRtcRooms;

import org.junit.jupiter.api.Test;

/**
 * An auto-answering Java peer (the demo's {@code javapeer} pattern) flooded with calls that never
 * connect: it holds at most {@link CallLimits#maxCallsPerUser()} per caller and
 * {@link CallLimits#maxCalls()} in all, refuses the rest with a {@code reject} naming the limit, and
 * after the connect timeout has hung up and released every answered call, its sockets included.
 */
class CallFloodTest {

    private static final long WAIT_S = 30;
    private static final int FLOOD = 150;
    private static final CallLimits LIMITS = new CallLimits(8, 4, Duration.ofSeconds(3));

    @Test
    void aFloodOfCallsThatNeverConnectIsBoundedAndEveryAnsweredCallIsReclaimed() throws Exception {
        RtcConfiguration loopback = RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build();
        try (SignalingServer server = SignalingServer.start(SignalingServerOptions.defaults());
             PeerConnectionFactory factory = new PeerConnectionFactory(1);
             WebRtcRooms rooms = new WebRtcRooms(factory, loopback, new ServiceRoutes());
             RoomSignaling javapeer = new RoomSignaling(rooms, call -> RoomOptions.builder().build(), null,
                     LIMITS, TimeoutScheduler.shared())) {
            SignalingClient peer = RegisteredUsers.connect(server, javapeer, "javapeer");
            RecordingListener[] in = {new RecordingListener(), new RecordingListener(), new RecordingListener()};
            SignalingClient[] attackers = new SignalingClient[3];
            for (int i = 0; i < 3; i++) {
                attackers[i] = RegisteredUsers.connect(server, in[i], "mallory" + i);
            }
            JsonNode offer = realOffer(factory, loopback);
            long socketsBefore = settledSockets();

            // mallory0 floods; mallory1 and mallory2 then make 4 calls each.
            for (int i = 0; i < FLOOD; i++) {
                attackers[0].send("javapeer", "call", call("m0-" + i, offer));
            }
            Map<String, Integer> replies0 = replies(in[0], FLOOD);
            assertEquals(Map.of("answer", 4, "reject:" + CallRefusal.TOO_MANY_CALLS_FROM_USER.wireName(), FLOOD - 4),
                    replies0);
            assertEquals(4, rooms.rooms().size());
            assertTrue(openSockets() > socketsBefore, "answered calls hold sockets");

            for (int i = 0; i < 4; i++) {
                attackers[1].send("javapeer", "call", call("m1-" + i, offer));
            }
            assertEquals(Map.of("answer", 4), replies(in[1], 4));
            for (int i = 0; i < 4; i++) {
                attackers[2].send("javapeer", "call", call("m2-" + i, offer));
            }
            assertEquals(Map.of("reject:" + CallRefusal.TOO_MANY_CALLS.wireName(), 4), replies(in[2], 4));
            assertEquals(LIMITS.maxCalls(), rooms.rooms().size());
            assertEquals(LIMITS.maxCalls(), javapeer.answeredCalls());

            // None connects: after the connect timeout each answered caller gets a hangup and all is released.
            assertEquals(Map.of("hangup", 4), replies(in[0], 4));
            assertEquals(Map.of("hangup", 4), replies(in[1], 4));
            // The hangup goes out just before the room is closed: wait (bounded) for the close to finish.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while ((!rooms.rooms().isEmpty() || javapeer.answeredCalls() > 0 || openSockets() > socketsBefore)
                    && System.nanoTime() < deadline) {
                // Each never-connected ice4j agent leaves one unbound socket of its DelegatingDatagramSocket
                // wrappers that only their cleaner closes (issue 11 names these wrappers' extra sockets).
                System.gc();
                Thread.sleep(20);
            }
            assertTrue(rooms.rooms().isEmpty(), rooms.rooms().keySet().toString());
            assertEquals(0, javapeer.answeredCalls());
            long socketsAfter = openSockets();
            assertTrue(socketsAfter <= socketsBefore, "sockets of the reclaimed calls: " + socketsAfter
                    + " open, " + socketsBefore + " before the flood");

            // Places are free again: a new call is answered.
            attackers[2].send("javapeer", "call", call("m2-again", offer));
            assertEquals(Map.of("answer", 1), replies(in[2], 1));
            for (SignalingClient c : attackers) {
                c.close();
            }
            peer.close();
        }
    }

    /** An offer a browser could have sent: made by a real connection, which is closed again. */
    private static JsonNode realOffer(PeerConnectionFactory factory, RtcConfiguration configuration) {
        RTCPeerConnection pc = factory.createPeerConnection(configuration, new PeerConnectionListener() { });
        try {
            pc.createDataChannel("data", RTCDataChannelInit.defaults(), new RTCDataChannelListener() { });
            return GraphscriptJson.descriptionJson(pc.createOffer().join());
        } finally {
            pc.close();
        }
    }

    private static ObjectNode call(String room, JsonNode offer) {
        ObjectNode m = SignalingJson.object();
        m.put("room", room);
        m.set("description", offer);
        return m;
    }

    /** The next {@code n} messages other than trickled candidates, counted by type (a reject by type and reason). */
    private static Map<String, Integer> replies(RecordingListener in, int n) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            JsonNode m = SignalingJson.parse(in.next());
            String key = m.get("type").asText();
            if (key.equals("candidate")) {
                i--;
                continue;
            }
            if (key.equals("reject")) {
                key += ":" + m.get("reason").asText();
            }
            counts.merge(key, 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Open sockets once the cleaners have closed what earlier tests in this JVM left unreferenced
     * (polled until two counts 100 ms apart agree, at most 5 s).
     */
    private static long settledSockets() throws IOException, InterruptedException {
        long previous = -1;
        long now = openSockets();
        for (int i = 0; i < 50 && now != previous; i++) {
            System.gc();
            Thread.sleep(100);
            previous = now;
            now = openSockets();
        }
        return now;
    }

    private static long openSockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed while listing
                }
            }).count();
        }
    }
}
