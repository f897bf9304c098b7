package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code send(byte[])} copies, as the browser's {@code send(ArrayBuffer)} does: a sender that reuses one
 * buffer for every message must not corrupt what is still queued (found by the 64 MiB interop test,
 * which filled one array per message and saw a SHA-256 mismatch at Chromium).
 */
class SendCopiesTheCallersArrayTest {

    @Test
    void aSenderMayOverwriteItsArrayAsSoonAsSendReturns() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, Peer.loopback().build());
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Recorder atA = new Recorder();
            RTCDataChannel channel = a.pc.createDataChannel("reuse", RTCDataChannelInit.defaults(), atA);
            Recorder atB = new Recorder();
            b.remoteChannelListener = atB;
            Signaling.negotiate(a, b);
            Recorder.await(atA.opened, "channel open at A");

            byte[] buffer = new byte[1000];
            int messages = 200;
            for (int i = 0; i < messages; i++) {
                Arrays.fill(buffer, (byte) i);
                channel.send(buffer);
            }
            Arrays.fill(buffer, (byte) -1);   // after the last send: must not reach the peer either

            for (int i = 0; i < messages; i++) {
                byte[] expected = new byte[1000];
                Arrays.fill(expected, (byte) i);
                assertArrayEquals(expected, (byte[]) atB.next(), "message " + i);
            }
            a.pc.close();
            b.pc.close();
        }
    }
}
