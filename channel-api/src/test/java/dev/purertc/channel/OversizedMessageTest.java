package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.purertc.sctp.channel.ReadyState;

/**
 * Issue 10, case 8: a peer that ignores the advertised {@code a=max-message-size} and sends one byte more
 * closed every channel (the association aborted, with only a DEBUG line as trace). Now only the channel
 * the message came on closes, with an error event naming the size and the limit; the others go on.
 */
class OversizedMessageTest {

    @Test
    void aMessageOverTheLimitClosesOnlyItsChannelWhileAnotherCarriesOn() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            // A takes up to 1 MiB itself and is told (in transit) that B does too; B's limit is 256 KiB.
            Peer a = Signaling.create(factory, Peer.loopback().maxMessageSize(1 << 20).build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Recorder victimAtA = new Recorder();
            Recorder otherAtA = new Recorder();
            Recorder victimAtB = new Recorder();
            Recorder otherAtB = new Recorder();
            b.remoteChannelListener = new RTCDataChannelListener() { };
            RTCDataChannel victim = a.pc.createDataChannel("victim", RTCDataChannelInit.defaults(), victimAtA);
            RTCDataChannel other = a.pc.createDataChannel("other", RTCDataChannelInit.defaults(), otherAtA);
            a.trickleTo = c -> b.pc.addIceCandidate(c).join();
            b.trickleTo = c -> a.pc.addIceCandidate(c).join();
            RTCSessionDescription offer = a.pc.createOffer().get(10, TimeUnit.SECONDS);
            a.pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);
            b.pc.setRemoteDescription(offer).get(10, TimeUnit.SECONDS);
            RTCSessionDescription answer = b.pc.createAnswer().get(10, TimeUnit.SECONDS);
            b.pc.setLocalDescription(answer).get(10, TimeUnit.SECONDS);
            assertTrue(answer.sdp().contains("a=max-message-size:262144"), answer.sdp());
            a.pc.setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.ANSWER,
                    answer.sdp().replace("a=max-message-size:262144", "a=max-message-size:1048576")))
                    .get(10, TimeUnit.SECONDS);
            Recorder.await(victimAtA.opened, "victim open");
            Recorder.await(otherAtA.opened, "other open");
            RTCDataChannel victimAtBChannel = null;
            RTCDataChannel otherAtBChannel = null;
            for (int i = 0; i < 2; i++) {
                RTCDataChannel c = b.awaitRemoteChannel();
                if (c.label().equals("victim")) {
                    victimAtBChannel = c;
                    c.setListener(victimAtB);
                } else {
                    otherAtBChannel = c;
                    c.setListener(otherAtB);
                }
            }
            assertEquals(1 << 20, victim.maxMessageSize());

            victim.send(new byte[262_145]);
            Recorder.await(victimAtB.closed, "B's copy of the channel closed");
            Recorder.await(victimAtA.closed, "A's channel closed (B reset the stream)");
            assertEquals(List.of("a message of at least 262145 bytes on stream " + victim.id()
                    + " exceeds the max-message-size of 262144: the channel closes"), List.copyOf(victimAtB.errors));
            assertEquals(List.of(), List.copyOf(victimAtB.messages));

            other.send("still here");
            assertEquals("still here", otherAtB.next());
            otherAtBChannel.send(new byte[262_144]);   // the largest message B's limit allows, the other way
            assertArrayEquals(new byte[262_144], (byte[]) otherAtA.next());
            assertEquals(ReadyState.OPEN, other.readyState());
            assertEquals(ReadyState.CLOSED, victimAtBChannel.readyState());
            assertEquals(PeerConnectionState.CONNECTED, a.pc.connectionState());
            assertEquals(PeerConnectionState.CONNECTED, b.pc.connectionState());
            assertEquals(List.of(), List.copyOf(otherAtA.errors));
            assertEquals(List.of(), List.copyOf(otherAtB.errors));
        }
    }
}
