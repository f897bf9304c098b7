package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A message sent after the association was idle for longer than RTO.Min (400 ms) is stamped with the
 * time it is sent. SCTP takes the time of a send from the latest it was given; on an idle association
 * that was the last packet or timer, and a stale stamp made T3-rtx fire at once after such a send
 * (cwnd fell to one MTU, the window went out twice) and fed the idle time into SRTT.
 */
class SendAfterIdleTest {

    private static final long WAIT_SECONDS = 10;
    /** Longer than RTO.Min and far shorter than the 30 s heartbeat: nothing reaches SCTP meanwhile. */
    private static final long IDLE_MILLIS = 1_500;

    @Test
    void aSendAfterAnIdleSecondCausesNoRetransmissionTimeout() throws Exception {
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Signaling.OpenChannel open = Signaling.openChannel(factory, "chat");
            Peer a = open.offerer();
            RTCDataChannel chat = open.channel();
            Recorder atB = open.atAnswerer();
            chat.send("before");
            assertEquals("before", atB.next());

            Thread.sleep(IDLE_MILLIS); // the idleness is what is tested, not a wait for an event

            byte[] message = new byte[64 << 10];
            new Random(7).nextBytes(message);
            chat.send(message);
            assertArrayEquals(message, (byte[]) atB.next());

            RTCStats sctp = a.pc.getStats().get(WAIT_SECONDS, TimeUnit.SECONDS).first("sctp-transport").orElseThrow();
            assertEquals(0, sctp.getLong("t3Expiries"), sctp::toString);
            assertEquals(0, sctp.getLong("retransmittedChunks"), sctp::toString);
            double srtt = sctp.getDouble("smoothedRoundTripTime");
            assertTrue(srtt < 0.2, "SRTT " + srtt + " s on loopback: an idle time was taken for a round trip");
        }
    }
}
