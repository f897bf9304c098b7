package dev.purertc.sctp.simtest;

import dev.purertc.sctp.Association;
import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.sim.LinkConfig;
import dev.purertc.sctp.sim.SimulatedLink;
import dev.purertc.sctp.sim.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Consumer;

/**
 * Two associations joined by two {@link SimulatedLink}s on a {@link VirtualClock}: the driver sends
 * what each association produced into its link, then jumps the clock to the next packet arrival or
 * timer, delivers and fires what is due, until a condition holds or a virtual-time bound passes.
 * {@link #toString()} names the links' seeds, so a failure message replays exactly.
 */
public final class SimPair {
    public final Association a;
    public final Association b;
    public final SimulatedLink aToB;
    public final SimulatedLink bToA;
    public final VirtualClock clock = new VirtualClock(1_000_000_000L);
    /** Called with every event of A / B as it is polled. */
    public Consumer<AssociationEvent> onEventA = e -> { };
    public Consumer<AssociationEvent> onEventB = e -> { };
    public final List<AssociationEvent> lifecycleA = new ArrayList<>();
    public final List<AssociationEvent> lifecycleB = new ArrayList<>();
    /** While true, everything either side sends is lost (the path is dead). */
    public boolean linkDown;

    public SimPair(SctpOptions options, LinkConfig aToB, LinkConfig bToA, long seed) {
        this.a = new Association(options, new Random(seed));
        this.b = new Association(options, new Random(seed + 1));
        this.aToB = new SimulatedLink(aToB);
        this.bToA = new SimulatedLink(bToA);
    }

    public long now() {
        return clock.now();
    }

    /** Counts from now on the payload bytes of the messages B receives (replaces {@link #onEventB}). */
    public LongSupplier countBytesReceivedByB() {
        long[] received = {0};
        onEventB = e -> {
            if (e instanceof AssociationEvent.MessageReceived m) {
                received[0] += m.payload().length;
            }
        };
        return () -> received[0];
    }

    /**
     * A feed for {@link #runUntil} that applies back-pressure the way the interop benchmarks do: when A's
     * queue falls under 256 KiB it queues 64 KiB messages on stream 0 up to 1.5 MB at one instant.
     */
    public Runnable backPressuredBulkSender() {
        byte[] message = new byte[64 * 1024];
        return () -> {
            if (a.totalBufferedAmount() < 256 * 1024) {
                while (a.totalBufferedAmount() < 1_500_000) {
                    a.send(0, 53, message, SendOptions.RELIABLE_ORDERED, now());
                }
            }
        };
    }

    /** Connects (both sides initiate, as WebRTC peers do) and runs until both are established. */
    public boolean connect(long maxNanos) {
        a.connect(now());
        b.connect(now());
        return runUntil(() -> a.state() == dev.purertc.sctp.AssociationState.ESTABLISHED
                && b.state() == dev.purertc.sctp.AssociationState.ESTABLISHED, maxNanos, () -> { });
    }

    /**
     * Runs until {@code done} holds or virtual time passes {@code maxNanos} from now. {@code feed} runs
     * every step (e.g. to queue more data when the send buffer has room).
     */
    public boolean runUntil(BooleanSupplier done, long maxNanos, Runnable feed) {
        long end = now() + maxNanos;
        while (true) {
            feed.run();
            flushOutputs();
            if (done.getAsBoolean()) {
                return true;
            }
            long next = Math.min(Math.min(aToB.nextDeliveryTime(), bToA.nextDeliveryTime()),
                    Math.min(a.nextTimeoutNanos(), b.nextTimeoutNanos()));
            if (next == Long.MAX_VALUE || next > end) {
                return done.getAsBoolean();
            }
            if (next > now()) {
                clock.advanceTo(next);
            }
            long t = now();
            for (byte[] p : aToB.deliverUntil(t)) {
                b.handleInput(p, t);
            }
            for (byte[] p : bToA.deliverUntil(t)) {
                a.handleInput(p, t);
            }
            if (a.nextTimeoutNanos() <= t) {
                a.advanceTime(t);
            }
            if (b.nextTimeoutNanos() <= t) {
                b.advanceTime(t);
            }
        }
    }

    private void flushOutputs() {
        long t = now();
        byte[] p;
        while ((p = a.pollOutgoingPacket()) != null) {
            if (!linkDown) {
                aToB.send(p, t);
            }
        }
        while ((p = b.pollOutgoingPacket()) != null) {
            if (!linkDown) {
                bToA.send(p, t);
            }
        }
        AssociationEvent e;
        while ((e = a.pollEvent()) != null) {
            if (!(e instanceof AssociationEvent.MessageReceived) && !(e instanceof AssociationEvent.BufferedAmountLow)) {
                lifecycleA.add(e);
            }
            onEventA.accept(e);
        }
        while ((e = b.pollEvent()) != null) {
            if (!(e instanceof AssociationEvent.MessageReceived) && !(e instanceof AssociationEvent.BufferedAmountLow)) {
                lifecycleB.add(e);
            }
            onEventB.accept(e);
        }
    }

    @Override
    public String toString() {
        return "SimPair[a->b " + aToB + ", b->a " + bToA + ", t=" + now() + "]";
    }
}
