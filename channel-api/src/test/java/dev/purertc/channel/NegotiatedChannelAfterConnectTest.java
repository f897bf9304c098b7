package dev.purertc.channel;

import org.junit.jupiter.api.Test;

import dev.purertc.sctp.channel.ReadyState;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A negotiated channel created on both sides after the connection is up fires onOpen on both (found
 * by interop-tests against Chromium and Firefox: the SCTP channel is open at creation, so no
 * transition was reported and the application never saw open).
 */
class NegotiatedChannelAfterConnectTest {

    @Test
    void negotiatedChannelCreatedAfterConnectingFiresOpenOnBothSides() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Recorder aFirst = new Recorder();
            a.pc.createDataChannel("first", RTCDataChannelInit.defaults(), aFirst);
            Signaling.negotiate(a, b);
            Recorder.await(aFirst.opened, "first channel open");
            a.awaitState(PeerConnectionState.CONNECTED);

            Recorder atA = new Recorder();
            Recorder atB = new Recorder();
            RTCDataChannelInit agreed = RTCDataChannelInit.defaults().withNegotiated(42);
            RTCDataChannel chA = a.pc.createDataChannel("agreed", agreed, atA);
            RTCDataChannel chB = b.pc.createDataChannel("agreed", agreed, atB);
            Recorder.await(atA.opened, "negotiated open at A");
            Recorder.await(atB.opened, "negotiated open at B");
            assertEquals(ReadyState.OPEN, chA.readyState());
            assertEquals(ReadyState.OPEN, chB.readyState());
            chA.send("over stream 42");
            assertEquals("over stream 42", atB.next());
            chB.send(new byte[] {4, 2});
            assertArrayEquals(new byte[] {4, 2}, (byte[]) atA.next());
            a.pc.close();
            b.pc.close();
        }
    }
}
