package dev.purertc.sctp.bench;

import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.sim.LinkConfig;
import dev.purertc.sctp.simtest.SimPair;

/**
 * Throughput at latency on the simulator: 1 Gbit/s each way, 50 ms RTT, reliable ordered 64 KiB
 * messages, default options (5 MiB window), 0% and 1% loss. Goodput is measured over virtual time
 * from the connection to the end of the run (slow start included). Prints
 * {@code BENCH sctp_sim_50ms_0loss} and {@code BENCH sctp_sim_50ms_1loss}. Never fails on speed.
 */
public final class SctpSimBenchmark {
    private static final long MS = 1_000_000L;

    public static void main(String[] args) {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        for (int lossPermille : new int[] {0, 10}) {
            double mbps = run(lossPermille / 1000.0, seconds);
            System.out.printf("BENCH sctp_sim_50ms_%dloss %.1f Mbit/s%n", lossPermille / 10, mbps);
        }
    }

    static double run(double loss, long seconds) {
        LinkConfig link = LinkConfig.builder().lossRate(loss).delayNanos(25 * MS)
                .bandwidthBitsPerSecond(1_000_000_000L).maxQueueBytes(16 << 20).mtu(1200).seed(7).build();
        SimPair pair = new SimPair(SctpOptions.defaults(), link, link.toBuilder().seed(8).build(), 7);
        if (!pair.connect(10_000 * MS)) {
            throw new IllegalStateException("no connection: " + pair);
        }
        long[] bytes = {0};
        pair.onEventB = e -> {
            if (e instanceof AssociationEvent.MessageReceived m) {
                bytes[0] += m.payload().length;
            }
        };
        byte[] message = new byte[64 * 1024];
        long start = pair.now();
        pair.runUntil(() -> false, seconds * 1000 * MS, () -> {
            while (pair.a.totalBufferedAmount() < 1_000_000) {
                pair.a.send(0, 53, message, SendOptions.RELIABLE_ORDERED, pair.now());
            }
        });
        double elapsed = (pair.now() - start) / 1e9;
        return bytes[0] * 8 / 1e6 / elapsed;
    }
}
