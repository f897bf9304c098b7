package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.channel.SendBufferFullException;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: {@code send()} once threw {@link SendBufferFullException} while {@code bufferedAmount()} read
 * 1.5 MiB or less: the refusal counted every channel of the connection, the figure one channel. Now a
 * channel's {@code bufferedAmount()} is the one account: send refuses exactly when it would pass the
 * send buffer, and another channel's backlog does not count.
 */
class SendBufferAccountTest {

    private static final int LIMIT = 64 * 1024;
    private static final int MESSAGE = 1024;

    @Test
    void sendRefusesOnlyWhenThisChannelsBufferedAmountIsFull() throws Exception {
        RtcConfiguration small = Peer.loopback()
                .sctpOptions(SctpOptions.defaults().toBuilder().sendBufferSize(LIMIT).build())
                .build();
        try (PeerConnectionFactory factory = new PeerConnectionFactory(1)) {
            Peer a = Signaling.create(factory, small);
            Peer b = Signaling.create(factory, Peer.loopback().build());
            Recorder fullAtA = new Recorder();
            Recorder otherAtA = new Recorder();
            Recorder bigAtA = new Recorder();
            RTCDataChannel full = a.pc.createDataChannel("full", RTCDataChannelInit.defaults(), fullAtA);
            RTCDataChannel other = a.pc.createDataChannel("other", RTCDataChannelInit.defaults(), otherAtA);
            RTCDataChannel big = a.pc.createDataChannel("big", RTCDataChannelInit.defaults(), bigAtA);
            Signaling.negotiate(a, b);
            Recorder.await(fullAtA.opened, "full open");
            Recorder.await(otherAtA.opened, "other open");
            Recorder.await(bigAtA.opened, "big open");

            // Nothing is acknowledged from here on: what SCTP may put in flight leaves the buffer once,
            // then every accepted byte stays buffered.
            b.pc.dropNetworkSilently();
            for (int i = 0; i < 16; i++) {
                full.send(new byte[MESSAGE]);
            }
            awaitSteady(full);

            int accepted = 0;
            SendBufferFullException refused = null;
            while (refused == null && accepted < 10 * LIMIT / MESSAGE) {
                try {
                    full.send(new byte[MESSAGE]);
                    accepted++;
                } catch (SendBufferFullException e) {
                    refused = e;
                }
            }
            assertTrue(refused != null, "send() never refused after " + accepted + " messages");
            long buffered = full.bufferedAmount();
            assertTrue(buffered + MESSAGE > LIMIT && buffered <= LIMIT,
                    "refused with bufferedAmount " + buffered + " of " + LIMIT);

            // Another channel's backlog is not this one's: it takes a message, and counts exactly it.
            other.send(new byte[MESSAGE]);
            awaitBuffered(other, MESSAGE);

            // A message larger than the whole buffer goes when its channel has nothing buffered; the next
            // one is refused because the first is still buffered.
            big.send(new byte[LIMIT + 1]);
            assertThrows(SendBufferFullException.class, () -> big.send(new byte[1]));
            assertEquals(0, fullAtA.errors.size() + otherAtA.errors.size() + bigAtA.errors.size(),
                    "no message was dropped after send() accepted it");
        }
    }

    /** Waits until SCTP has put in flight what its window allows: bufferedAmount stops moving. */
    private static void awaitSteady(RTCDataChannel channel) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long last = -1;
        int sameFor = 0;
        while (System.nanoTime() < deadline && sameFor < 10) {
            long now = channel.bufferedAmount();
            sameFor = now == last ? sameFor + 1 : 0;
            last = now;
            Thread.sleep(20); // polling: bufferedAmount has no change event short of the low threshold
        }
        assertEquals(10, sameFor, "bufferedAmount still moving after 10 s: " + last);
    }

    private static void awaitBuffered(RTCDataChannel channel, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (channel.bufferedAmount() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10); // polling, as above
        }
        assertEquals(expected, channel.bufferedAmount());
    }
}
