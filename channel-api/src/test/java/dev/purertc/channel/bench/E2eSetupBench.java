package dev.purertc.channel.bench;

import java.time.Duration;
import java.util.Arrays;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RtcConfiguration;

/**
 * {@code BENCH e2e_setup_ms}: from {@code createOffer} to the channel being open on both sides, two Java
 * peers over 127.0.0.1 with trickle ICE at Ta = 5 ms (RFC 8445's minimum), median of 50 after 5
 * warm-up runs. Certificates and ICE agents are made when each connection is created, before the clock
 * starts, as a browser does in the RTCPeerConnection constructor; that time is printed as a comment.
 */
public final class E2eSetupBench {

    private static final int WARM_UP = 5;
    private static final int RUNS = 50;

    public static void main(String[] args) throws Exception {
        RtcConfiguration config = BenchPair.loopback().icePacing(Duration.ofMillis(5)).build();
        double[] millis = new double[RUNS];
        double[] construct = new double[RUNS];
        try (PeerConnectionFactory factory = new PeerConnectionFactory()) {
            for (int i = 0; i < WARM_UP + RUNS; i++) {
                long built = System.nanoTime();
                try (BenchPair pair = new BenchPair(factory, config, null, null)) {
                    long start = System.nanoTime();
                    if (i >= WARM_UP) {
                        construct[i - WARM_UP] = (start - built) / 1e6;
                    }
                    pair.connect(Duration.ofSeconds(30));
                    double ms = (System.nanoTime() - start) / 1e6;
                    if (i >= WARM_UP) {
                        millis[i - WARM_UP] = ms;
                    }
                }
            }
        }
        Arrays.sort(millis);
        Arrays.sort(construct);
        System.out.printf("# constructing both connections (certificates, ICE agents), before the clock: median %.1f ms%n",
                (construct[RUNS / 2 - 1] + construct[RUNS / 2]) / 2);
        double median = (millis[RUNS / 2 - 1] + millis[RUNS / 2]) / 2;
        System.out.printf("# e2e setup over %d runs: min %.1f ms, median %.1f ms, max %.1f ms%n", RUNS, millis[0],
                median, millis[RUNS - 1]);
        System.out.printf("BENCH e2e_setup_ms %.1f ms%n", median);
    }

    private E2eSetupBench() {
    }
}
