package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.purertc.sdp.SdpParseException;
import dev.purertc.sdp.SdpValidationException;

/**
 * Issue 10, case 6: a description that fails leaves the connection exactly as it was. Before, an offer
 * whose ICE ufrag held a character ICE forbids passed the SDP layer, then ICE threw an untyped
 * IllegalArgumentException with the connection already in HAVE_REMOTE_OFFER: a corrected retry was
 * refused as renegotiation and createAnswer succeeded with no remote credentials.
 */
class RemoteDescriptionValidationTest {

    private static final Pattern UFRAG = Pattern.compile("a=ice-ufrag:(\\S+)");
    private static final Pattern PWD = Pattern.compile("a=ice-pwd:(\\S+)");

    @Test
    void anOfferWithABadUfragIsRefusedWithTheConnectionStillStableAndACorrectedRetryConnects() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Recorder atA = new Recorder();
            Recorder atB = new Recorder();
            b.remoteChannelListener = atB;
            RTCDataChannel channel = a.pc.createDataChannel("after-retry", RTCDataChannelInit.defaults(), atA);
            a.trickleTo = c -> b.pc.addIceCandidate(c).join();
            b.trickleTo = c -> a.pc.addIceCandidate(c).join();
            RTCSessionDescription offer = a.pc.createOffer().get(10, TimeUnit.SECONDS);
            a.pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);

            String ufrag = find(UFRAG, offer.sdp());
            String bad = ufrag.substring(0, 2) + "-" + ufrag.substring(3);   // '-' is not an ice-char
            SdpValidationException refused = failure(SdpValidationException.class, b.pc.setRemoteDescription(
                    new RTCSessionDescription(RTCSessionDescription.Type.OFFER,
                            offer.sdp().replace("a=ice-ufrag:" + ufrag, "a=ice-ufrag:" + bad))));
            assertEquals("ice-ufrag", refused.attribute());
            assertTrue(refused.getMessage().contains("outside ice-char"), refused.getMessage());
            assertEquals(SignalingState.STABLE, b.pc.signalingState());
            assertNull(b.pc.remoteDescription());
            assertEquals(List.of(), List.copyOf(b.signalingStates));
            assertInstanceOf(IllegalStateException.class,
                    failure(Exception.class, b.pc.createAnswer()), "createAnswer without a remote offer");

            b.pc.setRemoteDescription(offer).get(10, TimeUnit.SECONDS);
            assertEquals(SignalingState.HAVE_REMOTE_OFFER, b.pc.signalingState());
            RTCSessionDescription answer = b.pc.createAnswer().get(10, TimeUnit.SECONDS);
            b.pc.setLocalDescription(answer).get(10, TimeUnit.SECONDS);
            a.pc.setRemoteDescription(answer).get(10, TimeUnit.SECONDS);
            a.awaitState(PeerConnectionState.CONNECTED);
            Recorder.await(atA.opened, "channel open after the retry");
            channel.send("connected after a refused offer");
            assertEquals("connected after a refused offer", atB.next());
        }
    }

    @Test
    void aBadAnswerLeavesTheOffererWaitingForTheRealOne() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Recorder atA = new Recorder();
            a.pc.createDataChannel("x", RTCDataChannelInit.defaults(), atA);
            a.trickleTo = c -> b.pc.addIceCandidate(c).join();
            b.trickleTo = c -> a.pc.addIceCandidate(c).join();
            RTCSessionDescription offer = a.pc.createOffer().get(10, TimeUnit.SECONDS);
            a.pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);
            b.pc.setRemoteDescription(offer).get(10, TimeUnit.SECONDS);
            RTCSessionDescription answer = b.pc.createAnswer().get(10, TimeUnit.SECONDS);
            b.pc.setLocalDescription(answer).get(10, TimeUnit.SECONDS);

            String pwd = find(PWD, answer.sdp());
            for (String broken : List.of(
                    answer.sdp().replace("a=ice-pwd:" + pwd, "a=ice-pwd:" + pwd.substring(0, 21) + ":"),
                    answer.sdp().replace("a=ice-pwd:" + pwd, "a=ice-pwd:short"),
                    answer.sdp().replaceAll("a=fingerprint:sha-256 \\S+", "a=fingerprint:sha-256 00:11"),
                    answer.sdp().replaceAll("a=fingerprint:sha-256", "a=fingerprint:md5"))) {
                SdpValidationException refused = failure(SdpValidationException.class, a.pc.setRemoteDescription(
                        new RTCSessionDescription(RTCSessionDescription.Type.ANSWER, broken)));
                assertTrue(List.of("ice-pwd", "fingerprint").contains(refused.attribute()), refused.getMessage());
                assertEquals(SignalingState.HAVE_LOCAL_OFFER, a.pc.signalingState(), refused.getMessage());
                assertNull(a.pc.remoteDescription());
                assertNull(a.pc.dtlsRole());
            }
            a.pc.setRemoteDescription(answer).get(10, TimeUnit.SECONDS);
            a.awaitState(PeerConnectionState.CONNECTED);
            Recorder.await(atA.opened, "channel open after the refused answers");
        }
    }

    @Test
    void aMalformedTrickledCandidateFailsAtOnceEvenBeforeTheRemoteDescription() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer b = Signaling.create(factory, Peer.loopback().build());
            failure(SdpParseException.class, b.pc.addIceCandidate(
                    new RTCIceCandidate("candidate:1 1 udp notanumber 127.0.0.1 5000 typ host", "0", 0)));
            b.pc.addIceCandidate(new RTCIceCandidate("candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host", "0", 0))
                    .get(10, TimeUnit.SECONDS);
            for (String end : List.of("", "end-of-candidates", "a=end-of-candidates")) { // RFC 8840 §8.2 markers
                b.pc.addIceCandidate(new RTCIceCandidate(end, "0", 0)).get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String find(Pattern p, String sdp) {
        Matcher m = p.matcher(sdp);
        assertTrue(m.find(), p + " in " + sdp);
        return m.group(1);
    }

    @Test
    void aLocalDescriptionWhoseGatheringCannotBindLeavesTheConnectionAsItWas() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1);
             java.net.DatagramSocket taken = new java.net.DatagramSocket(
                     new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))) {
            int port = taken.getLocalPort();
            Peer a = Signaling.create(factory, Peer.loopback().portRange(port, port).build());
            RTCSessionDescription offer = a.pc.createOffer().get(10, TimeUnit.SECONDS);
            Exception refused = failure(Exception.class, a.pc.setLocalDescription(offer));
            assertTrue(refused.getMessage() != null && !refused.getMessage().isEmpty(), refused.toString());
            assertEquals(SignalingState.STABLE, a.pc.signalingState());
            assertNull(a.pc.localDescription());
            assertEquals(List.of(), List.copyOf(a.signalingStates));
            a.pc.close();
        }
    }

    @Test
    void candidatesBeforeTheRemoteDescriptionAreBounded() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            for (int i = 0; i < RTCPeerConnection.MAX_CANDIDATES_BEFORE_REMOTE; i++) {
                a.pc.addIceCandidate(new RTCIceCandidate("candidate:" + i + " 1 udp 2130706431 127.0.0.1 "
                        + (20000 + i) + " typ host", "0", 0)).get(10, TimeUnit.SECONDS);
            }
            IllegalStateException full = failure(IllegalStateException.class, a.pc.addIceCandidate(
                    new RTCIceCandidate("candidate:x 1 udp 2130706431 127.0.0.1 30000 typ host", "0", 0)));
            assertEquals("256 candidates already wait for the remote description", full.getMessage());
            a.pc.close();
        }
    }

    private static <T extends Throwable> T failure(Class<T> type, CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(type, e.getCause());
    }
}
