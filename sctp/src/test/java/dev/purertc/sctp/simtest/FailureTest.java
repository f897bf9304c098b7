package dev.purertc.sctp.simtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.AssociationState;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.SendStatus;
import dev.purertc.sctp.sim.LinkConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureTest {
    private static final long MS = 1_000_000L;

    private static LinkConfig link(long seed) {
        return LinkConfig.builder().delayNanos(10 * MS).mtu(1200).seed(seed).build();
    }

    @Test
    void associationFailsWhenTheLinkDiesWithDataOutstanding() {
        SctpOptions o = SctpOptions.builder().maxRetransmissions(5).build();
        SimPair pair = new SimPair(o, link(1), link(2), 21);
        assertTrue(pair.connect(10_000 * MS));
        pair.linkDown = true;
        long died = pair.now();
        assertEquals(SendStatus.SUCCESS, pair.a.send(0, 53, new byte[5000], SendOptions.RELIABLE_ORDERED, pair.now()));
        assertTrue(pair.runUntil(() -> pair.a.state() == AssociationState.CLOSED, 3_600_000 * MS, () -> { }));
        AssociationEvent last = pair.lifecycleA.get(pair.lifecycleA.size() - 1);
        assertTrue(last instanceof AssociationEvent.Failed, last.toString());
        // No RTT was measured yet, so T3 starts at RTO.Initial (500 ms) and doubles: 0.5 + 1 + 2 + 4 + 8
        // + 16 s; the sixth expiry exceeds 5 retransmissions (RFC 9260 §8.1).
        assertEquals(31_500 * MS, pair.now() - died);
    }

    @Test
    void idleAssociationFailsThroughHeartbeatsWhenTheLinkDies() {
        SctpOptions o = SctpOptions.builder().heartbeatInterval(1_000 * MS).maxRetransmissions(3).build();
        SimPair pair = new SimPair(o, link(3), link(4), 22);
        assertTrue(pair.connect(10_000 * MS));
        // While the link works, heartbeats are answered and the association stays up.
        pair.runUntil(() -> false, 20_000 * MS, () -> { });
        assertEquals(AssociationState.ESTABLISHED, pair.a.state());
        assertEquals(List.of(new AssociationEvent.Connected()), pair.lifecycleA);
        pair.linkDown = true;
        assertTrue(pair.runUntil(() -> pair.a.state() == AssociationState.CLOSED, 600_000 * MS, () -> { }));
        assertEquals(new AssociationEvent.Failed("heartbeat unanswered"), pair.lifecycleA.get(1));
    }

    @Test
    void receiverDropsAMessageLargerThanItsLimitWithItsStreamAndTheAssociationGoesOn() {
        SctpOptions big = SctpOptions.builder().maxMessageSize(1 << 20).build();
        SctpOptions small = SctpOptions.builder().maxMessageSize(256 * 1024).build();
        DirectPair pair = new DirectPair(big, small, 23);
        pair.a.connect(pair.now);
        pair.exchange();
        assertEquals(SendStatus.SUCCESS, pair.a.send(0, 53, new byte[256 * 1024 + 1], SendOptions.RELIABLE_ORDERED));
        assertEquals(SendStatus.SUCCESS, pair.a.send(0, 51, "after, same stream".getBytes(), SendOptions.RELIABLE_ORDERED));
        assertEquals(SendStatus.SUCCESS, pair.a.send(2, 51, "other stream".getBytes(), SendOptions.RELIABLE_ORDERED));
        pair.runUntil(() -> !received(pair.eventsB).isEmpty(), 60_000 * MS);
        pair.runUntil(() -> false, 10_000 * MS); // every timer plays out: nothing is retransmitted or aborted

        assertEquals(AssociationState.ESTABLISHED, pair.a.state());
        assertEquals(AssociationState.ESTABLISHED, pair.b.state());
        assertEquals(List.of(new AssociationEvent.OversizedMessageDropped(0, 256 * 1024 + 1, 256 * 1024,
                        "a message of at least 262145 bytes on stream 0 exceeds the max-message-size of 262144")),
                pair.eventsB.stream().filter(e -> e instanceof AssociationEvent.OversizedMessageDropped).toList());
        assertEquals(List.of("2 other stream"), received(pair.eventsB));

        // The sender resets the stream (a channel closing): it carries messages again.
        pair.a.resetStreams(List.of(0));
        pair.runUntil(() -> pair.eventsA.stream().anyMatch(e -> e instanceof AssociationEvent.OutgoingStreamsReset),
                60_000 * MS);
        assertEquals(SendStatus.SUCCESS, pair.a.send(0, 51, "after the reset".getBytes(), SendOptions.RELIABLE_ORDERED));
        pair.runUntil(() -> received(pair.eventsB).size() == 2, 60_000 * MS);
        assertEquals(List.of("2 other stream", "0 after the reset"), received(pair.eventsB));
    }

    private static List<String> received(List<AssociationEvent> events) {
        return events.stream().filter(e -> e instanceof AssociationEvent.MessageReceived)
                .map(e -> (AssociationEvent.MessageReceived) e)
                .map(m -> m.streamId() + " " + new String(m.payload())).toList();
    }

    @Test
    void senderRefusesMessagesOverTheLimitAndEmptyOnes() {
        DirectPair pair = new DirectPair(SctpOptions.defaults(), 24);
        pair.a.connect(pair.now);
        pair.exchange();
        assertEquals(SendStatus.MESSAGE_TOO_LARGE, pair.a.send(0, 53, new byte[256 * 1024 + 1], SendOptions.RELIABLE_ORDERED));
        assertEquals(SendStatus.EMPTY_MESSAGE, pair.a.send(0, 53, new byte[0], SendOptions.RELIABLE_ORDERED));
        assertEquals(0, pair.a.totalBufferedAmount());
        assertEquals(null, pair.a.pollOutgoingPacket());
    }
}
