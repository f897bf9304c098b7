package dev.purertc.sctp.simtest;

import dev.purertc.sctp.Association;
import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.SctpOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Two associations wired back to back with no delay or loss, on a virtual clock: packets are handed
 * over at once; when nothing is in flight the clock jumps to the next timer. For handshake and
 * protocol-logic tests; the lossy tests use the simulator (SimPair).
 */
public final class DirectPair {
    public final Association a;
    public final Association b;
    public long now = 1_000_000_000L;
    public final List<AssociationEvent> eventsA = new ArrayList<>();
    public final List<AssociationEvent> eventsB = new ArrayList<>();
    /** Drops packets a→b for which this returns true (null: none). */
    public Predicate<byte[]> dropAtoB;
    public Predicate<byte[]> dropBtoA;
    public long packetsAtoB;
    public long packetsBtoA;

    public DirectPair(SctpOptions options, long seed) {
        this(options, options, seed);
    }

    public DirectPair(SctpOptions optionsA, SctpOptions optionsB, long seed) {
        a = new Association(optionsA, new Random(seed));
        b = new Association(optionsB, new Random(seed + 1));
    }

    /** Moves packets both ways until none is left; returns how many moved. */
    public int exchange() {
        int moved = 0;
        boolean progress = true;
        while (progress) {
            progress = false;
            byte[] p;
            while ((p = a.pollOutgoingPacket()) != null) {
                packetsAtoB++;
                if (dropAtoB == null || !dropAtoB.test(p)) {
                    b.handleInput(p, now);
                }
                moved++;
                progress = true;
            }
            while ((p = b.pollOutgoingPacket()) != null) {
                packetsBtoA++;
                if (dropBtoA == null || !dropBtoA.test(p)) {
                    a.handleInput(p, now);
                }
                moved++;
                progress = true;
            }
        }
        drainEvents();
        return moved;
    }

    public void drainEvents() {
        AssociationEvent e;
        while ((e = a.pollEvent()) != null) {
            eventsA.add(e);
        }
        while ((e = b.pollEvent()) != null) {
            eventsB.add(e);
        }
    }

    /**
     * Exchanges packets and runs timers until {@code done} holds or the virtual clock passes
     * {@code maxNanos} from now. @return true when done
     */
    public boolean runUntil(BooleanSupplier done, long maxNanos) {
        long end = now + maxNanos;
        while (true) {
            exchange();
            if (done.getAsBoolean()) {
                return true;
            }
            long next = Math.min(a.nextTimeoutNanos(), b.nextTimeoutNanos());
            if (next == Long.MAX_VALUE || next > end) {
                return done.getAsBoolean();
            }
            now = Math.max(now, next);
            a.advanceTime(now);
            b.advanceTime(now);
        }
    }

    public static boolean has(List<AssociationEvent> events, Class<? extends AssociationEvent> type) {
        return events.stream().anyMatch(type::isInstance);
    }
}
