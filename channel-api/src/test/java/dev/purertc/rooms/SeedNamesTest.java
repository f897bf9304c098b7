package dev.purertc.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.channel.RTCSessionDescription;
import dev.purertc.channel.RtcConfiguration;
import dev.purertc.ice.HostAddressFilter;

/** The seed document's names ({@link SeedNames}) in Java rooms: host is the caller, peer the callee. */
class SeedNamesTest {

    private static final long WAIT_S = 30;

    private static JsonNode json(String text) throws Exception {
        return GraphscriptJson.MAPPER.readTree(text.replace('\'', '"'));
    }

    @Test
    void theRemoteDescriptionAndItsSidesCandidatesAreFoundUnderEitherDialectsNames() throws Exception {
        JsonNode hostInfo = json("{'_id':'r1','hostdescription':{'type':'offer','sdp':'o'},"
                + "'hostcandidates':{'c1':{'candidate':'h'}}}");
        assertEquals(json("{'type':'offer','sdp':'o'}"), SeedNames.description(hostInfo));
        assertEquals(json("{'c1':{'candidate':'h'}}"), SeedNames.candidates(hostInfo));

        // The peer's answer may carry the host's offer back: the peer's description and candidates win.
        JsonNode peerInfo = json("{'_id':'r1','hostdescription':'offer-text','hostcandidates':{'c1':'h'},"
                + "'peerdescription':'answer-text','peercandidates':{'c2':'p'}}");
        assertEquals("answer-text", SeedNames.description(peerInfo).asText());
        assertEquals(json("{'c2':'p'}"), SeedNames.candidates(peerInfo));

        // graphscript's own names come first.
        JsonNode graphscript = json("{'description':'d','candidates':{'k':'c'},'peerdescription':'x','peercandidates':{'z':'y'}}");
        assertEquals("d", SeedNames.description(graphscript).asText());
        assertEquals(json("{'k':'c'}"), SeedNames.candidates(graphscript));

        // Late candidates: no description, every candidate named.
        JsonNode late = json("{'_id':'r1','hostcandidates':{'c3':'h3'},'peercandidates':{'c4':'p4'}}");
        assertNull(SeedNames.description(late));
        assertEquals(json("{'c3':'h3','c4':'p4'}"), SeedNames.candidates(late));

        RoomOptions o = RoomOptions.fromJson(peerInfo).build();
        assertEquals("r1", o.id());
        assertEquals("answer-text", o.description());
        assertEquals(Map.of("c2", "p"), o.candidates());
    }

    @Test
    void builderAliasesSetTheRemoteDescriptionAndCandidates() {
        RoomOptions host = RoomOptions.builder().hostDescription("offer").hostCandidate("a", "ca").build();
        assertEquals("offer", host.description());
        assertEquals(Map.of("a", "ca"), host.candidates());
        RoomOptions peer = RoomOptions.builder().peerDescription("answer").peerCandidate("b", "cb").build();
        assertEquals("answer", peer.description());
        assertEquals(Map.of("b", "cb"), peer.candidates());
    }

    /**
     * The seed's flow with Java on both ends and the test as the socket: the host opens a room and sends
     * {@code _id}, {@code hostdescription}, {@code hostcandidates}; the peer opens its room from that and
     * answers with {@code peerdescription}, {@code peercandidates}; the host calls answerPeer; candidates
     * found after a side sent its description go through addIceCandidate.
     */
    @Test
    void theSeedsHostAndPeerFlowOpensARoom() throws Exception {
        RtcConfiguration loopback = RtcConfiguration.builder().hostAddresses(HostAddressFilter.ipv4LoopbackOnly()).build();
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1);
             WebRtcRooms hostRooms = new WebRtcRooms(factory, loopback, new ServiceRoutes());
             WebRtcRooms peerRooms = new WebRtcRooms(factory, loopback, new ServiceRoutes())) {
            BlockingQueue<Object> atPeer = new LinkedBlockingQueue<>();
            LateCandidates hostLate = new LateCandidates(c -> peerRooms.addIceCandidate("seed", c));
            Room host = hostRooms.openRTC(RoomOptions.builder().id("seed")
                    .onIceCandidate((r, c) -> hostLate.found(c)).build()).get(WAIT_S, TimeUnit.SECONDS);

            ObjectNode hostInfo = GraphscriptJson.MAPPER.createObjectNode();
            hostInfo.put("_id", host.id());
            hostInfo.set("hostdescription", GraphscriptJson.descriptionJson(host.hostDescription()));
            hostInfo.set("hostcandidates", hostLate.sendKnown(host.hostCandidates()));

            LateCandidates peerLate = new LateCandidates(c -> hostRooms.addIceCandidate("seed", c));
            Room peer = peerRooms.openRTC(RoomOptions.fromJson(hostInfo)
                    .onIceCandidate((r, c) -> peerLate.found(c))
                    .onData((message, channel, r) -> atPeer.add(message)).build()).get(WAIT_S, TimeUnit.SECONDS);
            ObjectNode peerInfo = GraphscriptJson.MAPPER.createObjectNode();
            peerInfo.put("_id", peer.id());
            peerInfo.set("peerdescription", GraphscriptJson.descriptionJson(peer.peerDescription()));
            peerInfo.set("peercandidates", peerLate.sendKnown(peer.peerCandidates()));

            hostRooms.answerPeer("seed", RoomOptions.fromJson(peerInfo).build()).get(WAIT_S, TimeUnit.SECONDS);
            host.opened().get(WAIT_S, TimeUnit.SECONDS);
            peer.opened().get(WAIT_S, TimeUnit.SECONDS);
            host.send("over the seed's names");
            assertEquals("over the seed's names", atPeer.poll(WAIT_S, TimeUnit.SECONDS));

            assertEquals(hostInfo.get("hostdescription").get("sdp").asText(), peer.hostDescription().sdp());
            assertEquals(RTCSessionDescription.Type.OFFER, host.hostDescription().type());
            assertEquals(RTCSessionDescription.Type.ANSWER, host.peerDescription().type());
            assertEquals(peerInfo.get("peerdescription").get("sdp").asText(), host.peerDescription().sdp());
            assertSame(host.connection(), host.rtcTransmit());
            assertSame(host.connection(), host.rtcReceive());
            assertSame(peer.connection(), peer.rtcReceive());
            // Each side's candidates, sent with its description or late, the other holds as that side's.
            assertEquals(hostLate.all(), sorted(peer.hostCandidates()));
            assertEquals(peerLate.all(), sorted(host.peerCandidates()));
            assertTrue(!hostLate.all().isEmpty() && !peerLate.all().isEmpty(), hostLate.all() + " " + peerLate.all());
            assertEquals(lines(host.hostCandidates()), lines(host.localCandidates()));
        }
    }

    private static List<String> sorted(List<RTCIceCandidate> candidates) {
        List<String> out = lines(candidates);
        out.sort(null);
        return out;
    }

    private static List<String> lines(List<RTCIceCandidate> candidates) {
        List<String> out = new ArrayList<>();
        candidates.forEach(c -> out.add(c.candidate()));
        return out;
    }

    /** One side's candidates: those known when its description is sent go with it, later ones one by one. */
    private static final class LateCandidates {
        private final java.util.function.Consumer<String> send;
        private final List<String> sentWithDescription = new ArrayList<>();
        final List<String> late = new java.util.concurrent.CopyOnWriteArrayList<>();
        private boolean descriptionSent;

        LateCandidates(java.util.function.Consumer<String> send) {
            this.send = send;
        }

        synchronized ObjectNode sendKnown(List<RTCIceCandidate> known) {
            ObjectNode map = GraphscriptJson.MAPPER.createObjectNode();
            for (RTCIceCandidate c : known) {
                map.set("candidate" + sentWithDescription.size(), GraphscriptJson.candidateJson(c));
                sentWithDescription.add(c.candidate());
            }
            descriptionSent = true;
            return map;
        }

        synchronized List<String> all() {
            List<String> out = new ArrayList<>(sentWithDescription);
            out.addAll(late);
            out.sort(null);
            return out;
        }

        synchronized void found(RTCIceCandidate c) {
            if (!descriptionSent || sentWithDescription.contains(c.candidate())) {
                return; // it goes with the description
            }
            if (!c.isEndOfCandidates()) {
                late.add(c.candidate());
            }
            send.accept(GraphscriptJson.encodeCandidate(c));
        }
    }
}
