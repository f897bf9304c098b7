package dev.purertc.sctp.simtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.AssociationState;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.sim.LinkConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Both sides send INIT (as browsers do from either DTLS role) with every start offset and link
 * disorder: whatever order INITs, INIT ACKs and COOKIE ECHOs cross in, both sides end ESTABLISHED on
 * one association (each side's peer tag is the other's local tag).
 */
class InitCollisionStressTest {

    @Test
    void everyStartOffsetAndDisorderEndsOnOneAssociation() {
        List<String> failures = new ArrayList<>();
        int runs = 0;
        for (long seed = 1; seed <= 400; seed++) {
            long delay = (seed % 5) * 1_000_000L;
            LinkConfig.Builder link = LinkConfig.builder().delayNanos(delay).jitterNanos((seed % 3) * 700_000L)
                    .lossRate(seed % 4 == 0 ? 0.2 : 0).duplicateRate(seed % 7 == 0 ? 0.3 : 0)
                    .reorderRate(seed % 6 == 0 ? 0.3 : 0).reorderExtraDelayNanos(2_000_000L);
            for (long offsetMicros : new long[] {0, 1, 100, 500, 1000, 2000, 3000, 5000, 20_000}) {
                runs++;
                SimPair pair = new SimPair(SctpOptions.defaults(), link.seed(seed).build(),
                        link.seed(seed * 31 + 7).build(), seed);
                pair.a.connect(pair.now());
                boolean bStarted = offsetMicros == 0;
                if (bStarted) {
                    pair.b.connect(pair.now());
                }
                long bStart = pair.now() + offsetMicros * 1000;
                // Until B starts, what reaches B waits, as channel-api queues records before its association exists.
                List<byte[]> held = new ArrayList<>();
                List<Object> eventsA = new ArrayList<>();
                List<Object> eventsB = new ArrayList<>();
                boolean[] sent = new boolean[2];
                long end = pair.now() + 120_000_000_000L;
                boolean ok = false;
                while (pair.now() < end) {
                    byte[] p;
                    while ((p = pair.a.pollOutgoingPacket()) != null) {
                        pair.aToB.send(p, pair.now());
                    }
                    while ((p = pair.b.pollOutgoingPacket()) != null) {
                        pair.bToA.send(p, pair.now());
                    }
                    drain(pair.a, eventsA, sent, 0);
                    drain(pair.b, eventsB, sent, 1);
                    if (pair.a.state() == AssociationState.ESTABLISHED && pair.b.state() == AssociationState.ESTABLISHED
                            && received(eventsA) == 1 && received(eventsB) == 1
                            && pair.a.peerVerificationTag() == pair.b.localVerificationTag()
                            && pair.b.peerVerificationTag() == pair.a.localVerificationTag()
                            && pair.aToB.nextDeliveryTime() == Long.MAX_VALUE
                            && pair.bToA.nextDeliveryTime() == Long.MAX_VALUE) {
                        ok = true;
                        break;
                    }
                    long next = Math.min(Math.min(pair.aToB.nextDeliveryTime(), pair.bToA.nextDeliveryTime()),
                            Math.min(pair.a.nextTimeoutNanos(), bStarted ? pair.b.nextTimeoutNanos() : bStart));
                    if (next == Long.MAX_VALUE || next > end) {
                        break;
                    }
                    if (next > pair.now()) {
                        pair.clock.advanceTo(next);
                    }
                    long t = pair.now();
                    if (!bStarted && t >= bStart) {
                        bStarted = true;
                        pair.b.connect(t);
                        for (byte[] h : held) {
                            pair.b.handleInput(h, t);
                        }
                        held.clear();
                    }
                    for (byte[] q : pair.aToB.deliverUntil(t)) {
                        if (bStarted) {
                            pair.b.handleInput(q, t);
                        } else {
                            held.add(q);
                        }
                    }
                    for (byte[] q : pair.bToA.deliverUntil(t)) {
                        pair.a.handleInput(q, t);
                    }
                    if (pair.a.nextTimeoutNanos() <= t) {
                        pair.a.advanceTime(t);
                    }
                    if (bStarted && pair.b.nextTimeoutNanos() <= t) {
                        pair.b.advanceTime(t);
                    }
                }
                if (ok && (!eventsA.equals(expected(1)) || !eventsB.equals(expected(0)))) {
                    ok = false;
                }
                if (!ok) {
                    failures.add("seed " + seed + " offset " + offsetMicros + "us: A " + pair.a.state() + " B "
                            + pair.b.state() + " tags A " + Long.toHexString(pair.a.localVerificationTag()) + "/"
                            + Long.toHexString(pair.a.peerVerificationTag()) + " B "
                            + Long.toHexString(pair.b.localVerificationTag()) + "/"
                            + Long.toHexString(pair.b.peerVerificationTag()) + " events A " + eventsA + " B " + eventsB);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + runs + " runs:\n" + String.join("\n", failures));
        assertEquals(3600, runs);
    }

    /** Polls events; the first Connected sends one message at once (a DCEP OPEN would go then). */
    private static void drain(dev.purertc.sctp.Association side, List<Object> events, boolean[] sent, int who) {
        AssociationEvent e;
        while ((e = side.pollEvent()) != null) {
            if (e instanceof AssociationEvent.MessageReceived m) {
                events.add(new Marker(m.streamId(), m.payload()[0]));
            } else if (!(e instanceof AssociationEvent.BufferedAmountLow)) {
                events.add(e);
            }
            if (e instanceof AssociationEvent.Connected && !sent[who]) {
                sent[who] = true;
                side.send(who + 1, 53, new byte[] {(byte) who}, SendOptions.RELIABLE_ORDERED);
            }
        }
    }

    private static long received(List<Object> events) {
        return events.stream().filter(e -> e instanceof Marker).count();
    }

    private static List<Object> expected(int fromWho) {
        return List.of(new AssociationEvent.Connected(), new Marker(fromWho + 1, (byte) fromWho));
    }

    /** A received message, compared by value. */
    private record Marker(int streamId, byte first) { }
}
