package dev.purertc.sctp.channel;

import dev.purertc.sctp.Association;
import dev.purertc.sctp.SctpOptions;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Two {@link DataChannels} back to back (A is the DTLS client) on a virtual clock, optional seeded loss. */
final class ChannelPair {
    final DataChannels a;
    final DataChannels b;
    long now = 1_000_000_000L;
    Predicate<byte[]> dropAtoB;
    Predicate<byte[]> dropBtoA;

    ChannelPair(SctpOptions options, long seed) {
        this(options, options, seed);
    }

    ChannelPair(SctpOptions optionsA, SctpOptions optionsB, long seed) {
        a = new DataChannels(new Association(optionsA, new Random(seed)), true);
        b = new DataChannels(new Association(optionsB, new Random(seed + 1)), false);
    }

    static ChannelPair connected(long seed) {
        ChannelPair p = new ChannelPair(SctpOptions.defaults(), seed);
        p.a.setRemoteMaxMessageSize(262144);
        p.b.setRemoteMaxMessageSize(262144);
        p.a.connect(p.now);
        p.b.connect(p.now);
        p.exchange();
        return p;
    }

    void exchange() {
        boolean progress = true;
        while (progress) {
            progress = false;
            byte[] p;
            while ((p = a.pollOutgoingPacket()) != null) {
                if (dropAtoB == null || !dropAtoB.test(p)) {
                    b.handleInput(p, now);
                }
                progress = true;
            }
            while ((p = b.pollOutgoingPacket()) != null) {
                if (dropBtoA == null || !dropBtoA.test(p)) {
                    a.handleInput(p, now);
                }
                progress = true;
            }
        }
    }

    boolean runUntil(BooleanSupplier done, long maxNanos) {
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
}
