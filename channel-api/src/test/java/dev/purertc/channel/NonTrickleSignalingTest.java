package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.purertc.sdp.DataChannelDescription;
import dev.purertc.sdp.IceCandidate;
import dev.purertc.sdp.SessionDescription;

/**
 * Signaling without trickle (one message each way, as WHIP-style servers and single-POST apps do):
 * each side waits until gathering is complete and sends its local description, which then carries
 * every candidate and {@code a=end-of-candidates}; nobody calls addIceCandidate.
 */
class NonTrickleSignalingTest {

    private static final long WAIT_SECONDS = 10;

    @Test
    void descriptionsSentAfterGatheringCompleteOpenAChannelWithoutAddIceCandidate() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Recorder atA = new Recorder();
            Recorder atB = new Recorder();
            b.remoteChannelListener = atB;
            a.pc.createDataChannel("whole", RTCDataChannelInit.defaults(), atA);

            a.pc.setLocalDescription(a.pc.createOffer().get(WAIT_SECONDS, TimeUnit.SECONDS)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            Recorder.await(a.gatheringComplete, "offerer's gathering complete");
            RTCSessionDescription offer = a.pc.localDescription();
            assertNull(a.pc.currentLocalDescription(), "the offer is pending until the answer");
            assertNull(a.pc.canTrickleIceCandidates(), "no remote description yet");

            DataChannelDescription offered = DataChannelDescription.of(SessionDescription.parse(offer.sdp()));
            assertEquals(candidateLines(a), offered.candidates());
            assertEquals(true, offered.endOfCandidates());
            assertEquals(true, offered.ice().trickle(), "the trickle option stays, as browsers keep it");
            assertTrue(offered.candidates().stream().allMatch(c -> c.address().equals("127.0.0.1")), offered.candidates().toString());
            assertEquals(offered.candidates().get(0).port(), offered.section().port(), "m= names the default candidate");

            b.pc.setRemoteDescription(offer).get(WAIT_SECONDS, TimeUnit.SECONDS);
            b.pc.setLocalDescription(b.pc.createAnswer().get(WAIT_SECONDS, TimeUnit.SECONDS)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            Recorder.await(b.gatheringComplete, "answerer's gathering complete");
            assertEquals(true, b.pc.canTrickleIceCandidates());
            // The answer leaves without the trickle option: a peer that cannot trickle says so.
            RTCSessionDescription answer = new RTCSessionDescription(RTCSessionDescription.Type.ANSWER,
                    b.pc.localDescription().sdp().replace("a=ice-options:trickle\r\n", ""));
            assertEquals(b.pc.localDescription(), b.pc.currentLocalDescription());
            DataChannelDescription answered = DataChannelDescription.of(SessionDescription.parse(answer.sdp()));
            assertEquals(candidateLines(b), answered.candidates());
            assertEquals(true, answered.endOfCandidates());

            a.pc.setRemoteDescription(answer).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(false, a.pc.canTrickleIceCandidates());
            assertEquals(offer, a.pc.currentLocalDescription());

            a.awaitState(PeerConnectionState.CONNECTED);
            b.awaitState(PeerConnectionState.CONNECTED);
            Recorder.await(atA.opened, "channel open at the offerer");
            RTCDataChannel whole = b.awaitRemoteChannel();
            Recorder.await(atB.opened, "channel open at the answerer");
            whole.send("sent without trickle");
            assertEquals("sent without trickle", atA.next());
            assertEquals("whole", whole.label());
        }
    }

    @Test
    void gatheringStateGoesNewGatheringCompleteWithEventsInOrder() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            RTCSessionDescription offer = a.pc.createOffer().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(IceGatheringState.NEW, a.pc.iceGatheringState());
            a.pc.setLocalDescription(offer).get(WAIT_SECONDS, TimeUnit.SECONDS);
            Recorder.await(a.gatheringComplete, "gathering complete");
            assertEquals(IceGatheringState.COMPLETE, a.pc.iceGatheringState());

            List<String> expected = new ArrayList<>();
            expected.add("state:GATHERING");
            a.candidates.forEach(c -> expected.add("candidate"));
            expected.add("state:COMPLETE");
            expected.add("end");
            assertEquals(expected, a.gatheringEvents);
            assertEquals(1, a.candidates.size(), "one IPv4 loopback host candidate: " + a.candidates);
            // Before the change event, the description is the one created: no candidate yet.
            assertEquals(List.of(), DataChannelDescription.of(SessionDescription.parse(offer.sdp())).candidates());
            assertTrue(a.pc.localDescription().sdp().contains("a=" + a.candidates.get(0).candidate() + "\r\na=end-of-candidates\r\n"),
                    a.pc.localDescription().sdp());
        }
    }

    private static List<IceCandidate> candidateLines(Peer p) throws Exception {
        List<IceCandidate> parsed = new ArrayList<>();
        for (RTCIceCandidate c : p.candidates) {
            parsed.add(IceCandidate.parse(c.candidate()));
        }
        return parsed;
    }
}
