package dev.purertc.channel.bench;

import java.time.Duration;
import java.util.Arrays;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RtcConfiguration;

/**
 * {@code BENCH e2e_setup_ms}: from {@code createOffer} to the channel being open on both sides, two Java
 * peers over 127.0.0.1 with trickle ICE at Ta = 5 ms (RFC 8445's minimum), median of 50 connections
 * made after 100 others in the same JVM, when the JIT has compiled the handshake code: what a running
 * server sees. {@code BENCH e2e_setup_first50_ms} is the median of the first 50 connections of the fresh
 * JVM (interpreted and half-compiled code, so mostly a JIT figure), printed so the steady-state figure is
 * never read without it. Certificates and ICE agents are made when each connection is created, before
 * the clock starts, as a browser does in the RTCPeerConnection constructor; that time is printed as a
 * comment.
 */
public final class E2eSetupBench {

    private static final int MEASURED = 50;
    /** Connections between the cold sample and the steady-state one. */
    private static final int WARM_UP = 100;

    public static void main(String[] args) throws Exception {
        RtcConfiguration config = BenchPair.loopback().icePacing(Duration.ofMillis(5)).build();
        int total = MEASURED + WARM_UP + MEASURED;
        double[] millis = new double[total];
        double[] construct = new double[total];
        try (PeerConnectionFactory factory = new PeerConnectionFactory()) {
            for (int i = 0; i < total; i++) {
                long built = System.nanoTime();
                try (BenchPair pair = new BenchPair(factory, config, null, null)) {
                    long start = System.nanoTime();
                    construct[i] = (start - built) / 1e6;
                    pair.connect(Duration.ofSeconds(30));
                    millis[i] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        double[] cold = Arrays.copyOfRange(millis, 0, MEASURED);
        double[] steady = Arrays.copyOfRange(millis, total - MEASURED, total);
        System.out.printf("# first connection of the JVM: %.1f ms%n", millis[0]);
        System.out.printf("# constructing both connections (certificates, ICE agents), before the clock: median %.1f ms%n",
                median(Arrays.copyOfRange(construct, total - MEASURED, total)));
        Arrays.sort(steady);
        System.out.printf("# steady state, connections %d-%d: min %.1f ms, median %.1f ms, max %.1f ms%n",
                total - MEASURED + 1, total, steady[0], median(steady), steady[MEASURED - 1]);
        System.out.printf("BENCH e2e_setup_ms %.1f ms%n", median(steady));
        System.out.printf("BENCH e2e_setup_first50_ms %.1f ms%n", median(cold));
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private E2eSetupBench() {
    }
}
